using System.Runtime.CompilerServices;

namespace V2V.Load;

/// <summary>
/// What each user says, as 10 ms frames at 16 kHz: 2 s of speech then 3.8 s of silence (the echo answer is heard
/// to its end: it echoes the whole turn the server cut, 2.8 s with its 300 ms prefix padding and 500 ms silence
/// window, and starts 500 ms into the silence), then 2 s of speech and 1.2 s of silence, and the next speech barges
/// into that answer. One cycle is 9 s: a turn every 4.5 s, a barge-in every 9 s. (Until 2026-12-02 the first
/// silence was 3.2 s, and every answer after the first cycle was cut 100-200 ms before its end: that was counted
/// as heard only while transcripts ran ahead of the audio.)
/// </summary>
/// <remarks>
/// <paramref name="offsetFrames"/> moves where in the speech a user's words start; <paramref name="cyclePhaseFrames"/>
/// moves where in the cycle they start (0: every user speaks and pauses on the same beat, a worst case of bursts).
/// </remarks>
internal sealed class TurnScript(short[] speech, int offsetFrames, int cyclePhaseFrames = 0)
{
    public const int FrameSamples = SpeechSignal.SampleRate / 100;
    private static readonly byte[] Silence = new byte[FrameSamples * 2];
    private static readonly (int Frames, bool Speech)[] Cycle = [(200, true), (380, false), (200, true), (120, false)];
    public static readonly int CycleFrames = Cycle.Sum(c => c.Frames);

    // One copy of the speech as bytes for every user of the same speech: a copy each (960 KB for 30 s) was most of
    // what a session seemed to keep in the load harness's memory figure, for every bridge alike.
    private static readonly ConditionalWeakTable<short[], byte[]> SpeechBytes = new();

    private readonly byte[] _speechBytes = SpeechBytes.GetValue(speech, ToBytes);

    /// <summary>Turns that complete per cycle, and barge-ins per cycle.</summary>
    public const int TurnsPerCycle = 2;

    /// <summary>Frame <paramref name="index"/> of this user's audio.</summary>
    public ReadOnlyMemory<byte> Frame(long index)
    {
        int inCycle = (int)((index + cyclePhaseFrames) % CycleFrames);
        foreach (var (frames, isSpeech) in Cycle)
        {
            if (inCycle < frames)
            {
                if (!isSpeech)
                {
                    return Silence;
                }
                long at = (offsetFrames + index) % (_speechBytes.Length / (FrameSamples * 2));
                return _speechBytes.AsMemory((int)at * FrameSamples * 2, FrameSamples * 2);
            }
            inCycle -= frames;
        }
        return Silence;
    }

    /// <summary>True when frame <paramref name="index"/> is in a talk spurt.</summary>
    public static bool IsSpeech(long index)
    {
        int inCycle = (int)(index % CycleFrames);
        foreach (var (frames, isSpeech) in Cycle)
        {
            if (inCycle < frames)
            {
                return isSpeech;
            }
            inCycle -= frames;
        }
        return false;
    }

    /// <summary>True when frame <paramref name="index"/> is the first speech frame of a talk spurt.</summary>
    public static bool IsStartOfSpeech(long index) => SpeechEdge(index, first: true);

    /// <summary>True when frame <paramref name="index"/> is the last speech frame of a talk spurt.</summary>
    public static bool IsEndOfSpeech(long index) => SpeechEdge(index, first: false);

    private static bool SpeechEdge(long index, bool first)
    {
        int inCycle = (int)(index % CycleFrames);
        foreach (var (frames, isSpeech) in Cycle)
        {
            if (inCycle < frames)
            {
                return isSpeech && inCycle == (first ? 0 : frames - 1);
            }
            inCycle -= frames;
        }
        return false;
    }

    private static byte[] ToBytes(short[] samples)
    {
        var bytes = new byte[samples.Length * 2];
        Buffer.BlockCopy(samples, 0, bytes, 0, bytes.Length);
        return bytes;
    }
}
