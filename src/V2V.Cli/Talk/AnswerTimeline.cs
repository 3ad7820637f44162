using V2V.Audio;

namespace V2V.Cli.Talk;

/// <summary>
/// The answer WAV. On a timeline (real time, paced output), each frame is written where a listener heard it: at the
/// moment it was played, counted from the input's first frame, with silence where nothing played; frames dropped by
/// a barge-in never reach here, so they are never written. Without a timeline (<c>--fast</c>), frames are written
/// back to back as they come.
/// </summary>
internal sealed class AnswerTimeline(WavWriter writer, InputClock? timeline) : IDisposable
{
    /// <summary>
    /// Frames of one stretch of voice are played back to back, but reach us up to a pacer tick late, or later on a busy
    /// machine: a frame this close to the end of the last one continues it instead of opening a gap of silence.
    /// </summary>
    private static readonly TimeSpan Slack = TimeSpan.FromMilliseconds(250);

    private static readonly short[] Silence = new short[4800];

    /// <summary>How long the file is so far.</summary>
    public TimeSpan Length => TimeSpan.FromSeconds((double)writer.SamplesWritten / writer.SampleRate);

    /// <summary>Writes one frame of the agent's voice, played now.</summary>
    public void Write(ReadOnlySpan<short> frame)
    {
        if (timeline is not null && timeline.Elapsed - Length > Slack)
        {
            PadTo(timeline.Elapsed);
        }
        writer.Write(frame);
    }

    /// <summary>Extends the file with silence to <paramref name="length"/> (the input's own length: the two line up to the end).</summary>
    public void PadTo(TimeSpan length)
    {
        var missing = (long)(length.TotalSeconds * writer.SampleRate) - writer.SamplesWritten;
        while (missing > 0)
        {
            var count = (int)Math.Min(missing, Silence.Length);
            writer.Write(Silence.AsSpan(0, count));
            missing -= count;
        }
    }

    public void Dispose() => writer.Dispose();
}
