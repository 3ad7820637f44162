namespace V2V.Simulator.Tests.Support;

/// <summary>Speech-like test audio: a 220 Hz tone whose loudness wavers at 4 Hz (syllables), between silences.</summary>
internal static class TestAudio
{
    public const int SamplesPerMs = 24;

    public static byte[] Turn(int silenceBeforeMs, int speechMs, int silenceAfterMs)
    {
        var samples = new short[(silenceBeforeMs + speechMs + silenceAfterMs) * SamplesPerMs];
        var start = silenceBeforeMs * SamplesPerMs;
        for (var i = 0; i < speechMs * SamplesPerMs; i++)
        {
            var t = i / 24000.0;
            var syllables = 0.6 + (0.4 * Math.Sin(2 * Math.PI * 4 * t));
            samples[start + i] = (short)(12000 * syllables * Math.Sin(2 * Math.PI * 220 * t));
        }

        var bytes = new byte[samples.Length * 2];
        Buffer.BlockCopy(samples, 0, bytes, 0, bytes.Length);
        return bytes;
    }

    public static byte[] Silence(int ms) => new byte[ms * SamplesPerMs * 2];

    /// <summary>The samples of <see cref="Turn"/>, for the server's components that take samples rather than the wire's bytes.</summary>
    public static short[] TurnSamples(int silenceBeforeMs, int speechMs, int silenceAfterMs)
    {
        var bytes = Turn(silenceBeforeMs, speechMs, silenceAfterMs);
        var samples = new short[bytes.Length / 2];
        Buffer.BlockCopy(bytes, 0, samples, 0, bytes.Length);
        return samples;
    }
}
