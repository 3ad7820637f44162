namespace V2V.Simulator.Responses;

/// <summary>The server's only voice besides the echo: a soft 440 Hz tone with 10 ms fades, for scripted audio.</summary>
internal static class Tone
{
    public static short[] Make(int ms)
    {
        var samples = new short[ms * Audio.Pcm.SamplesPerMs];
        var fade = 10 * Audio.Pcm.SamplesPerMs;
        for (var i = 0; i < samples.Length; i++)
        {
            var envelope = Math.Min(1.0, Math.Min(i, samples.Length - 1 - i) / (double)fade);
            samples[i] = (short)(6000 * envelope * Math.Sin(2 * Math.PI * 440 * i / Audio.Pcm.SampleRate));
        }

        return samples;
    }
}
