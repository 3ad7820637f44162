namespace V2V.Simulator.Responses;

/// <summary>
/// The sizes of a response's audio deltas. OpenAI does not document them and they vary within a response, so a
/// client must not assume any: the default schedule starts small and then cycles through sizes from 45 to 245 ms,
/// several of them not a whole number of 10 or 20 ms frames. A fixed size is available for tests that want one.
/// </summary>
internal sealed class AudioChunkSchedule(int? fixedMs)
{
    private static readonly int[] ServiceSizesMs = [45, 100, 125, 200, 245, 150, 205, 100];
    private int _next;

    /// <summary>The number of 24 kHz samples of the next delta.</summary>
    public int NextSamples()
    {
        var ms = fixedMs ?? ServiceSizesMs[_next++ % ServiceSizesMs.Length];
        return ms * Audio.Pcm.SamplesPerMs;
    }
}
