namespace V2V.Simulator.Responses;

/// <summary>The server's only voice besides the echo: a soft 440 Hz tone with 10 ms fades, for scripted audio.</summary>
internal static class Tone
{
    /// <summary>A tone as long as speaking <paramref name="text"/> would take (about 60 ms a character).</summary>
    public static short[] ForText(string text) => Make(Math.Clamp(text.Length * 60, 300, 20_000));

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
