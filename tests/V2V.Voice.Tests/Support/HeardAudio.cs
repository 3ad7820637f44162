using V2V.Voice.Outputs;

namespace V2V.Voice.Tests.Support;

/// <summary>
/// What a test keeps of a frame of the agent's voice once it has read it and given its buffer back (as a transport
/// does): the item, where in it the frame ends, its rate and a copy of its samples. Tests keep outputs as events, audio
/// included.
/// </summary>
internal sealed record HeardAudio(string ItemId, double ItemEndMs, int SampleRate, byte[] Pcm16) : VoiceSessionEvent
{
    /// <summary>Bytes of audio.</summary>
    public int Length => Pcm16.Length;

    /// <summary>The output as a test keeps it: the event, or the frame's particulars (the frame is disposed).</summary>
    public static VoiceSessionEvent Take(VoiceSessionOutput output)
    {
        if (!output.TryGetAudio(out var frame))
        {
            return output.Event!;
        }
        using (frame)
        {
            return new HeardAudio(frame.ItemId!, frame.ItemEndMs, frame.SampleRate, frame.Span.ToArray());
        }
    }
}
