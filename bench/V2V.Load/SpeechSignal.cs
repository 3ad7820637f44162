namespace V2V.Load;

/// <summary>
/// The user's voice for every session: a synthetic speech-like signal (a glottal-like harmonic series at a
/// gliding 100-180 Hz pitch, shaped by three moving formants, syllables at about 4 Hz), 16 kHz mono pcm16,
/// about -20 dBFS RMS: loud enough for the server's VAD at any moment of a talk spurt, and deterministic.
/// Sessions share it and read it from different offsets.
/// </summary>
internal static class SpeechSignal
{
    public const int SampleRate = 16000;

    public static short[] Make(int seconds, int seed = 7)
    {
        var random = new Random(seed);
        var samples = new short[seconds * SampleRate];
        double phase = 0;
        double[] formants = [700, 1200, 2600];
        for (int n = 0; n < samples.Length; n++)
        {
            double t = (double)n / SampleRate;
            double f0 = 140 + 40 * Math.Sin(2 * Math.PI * 0.7 * t) + 10 * Math.Sin(2 * Math.PI * 3.1 * t);
            phase += 2 * Math.PI * f0 / SampleRate;
            double syllable = 0.55 + 0.45 * Math.Abs(Math.Sin(2 * Math.PI * 2.1 * t));
            double f1 = formants[0] + 250 * Math.Sin(2 * Math.PI * 1.3 * t);
            double f2 = formants[1] + 500 * Math.Sin(2 * Math.PI * 0.9 * t + 1);
            double sum = 0;
            for (int h = 1; h * f0 < 7000; h++)
            {
                double f = h * f0;
                double gain = 1.0 / h
                    * (1 / (1 + Math.Pow((f - f1) / 150, 2)) + 0.6 / (1 + Math.Pow((f - f2) / 200, 2)) + 0.25 / (1 + Math.Pow((f - formants[2]) / 300, 2)) + 0.05);
                sum += gain * Math.Sin(h * phase);
            }
            sum += 0.01 * (random.NextDouble() - 0.5);
            samples[n] = (short)Math.Clamp(sum * syllable * 9000, short.MinValue, short.MaxValue);
        }
        return samples;
    }
}
