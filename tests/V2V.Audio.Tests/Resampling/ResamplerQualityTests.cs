namespace V2V.Audio.Tests;

/// <summary>What the filter does to tones: passband kept within 0.1 dB, aliases and images 90 dB down.</summary>
public sealed class ResamplerQualityTests
{
    private const int AnalysisLength = 16384;
    private const double Amplitude = 0.5;

    /// <summary>The product's pairs: every input rate to 24 kHz, and 24 kHz to every output rate.</summary>
    public static TheoryData<int, int> KeyPairs => new()
    {
        { 8000, 24000 }, { 16000, 24000 }, { 44100, 24000 }, { 48000, 24000 },
        { 24000, 8000 }, { 24000, 16000 }, { 24000, 44100 }, { 24000, 48000 },
    };

    /// <summary>The pairs of the voice agent's input (mic rates to 24 kHz) and output paths, for the minimum-phase filter.</summary>
    public static TheoryData<int, int> MinimumPhasePairs => new()
    {
        { 16000, 24000 }, { 24000, 16000 }, { 48000, 24000 }, { 24000, 48000 }, { 8000, 24000 }, { 44100, 24000 },
    };

    /// <summary>Every key pair through the linear filter, and the minimum-phase pairs through the minimum-phase one.</summary>
    public static TheoryData<int, int, ResamplerPhase> KeyPairsAndPhases
    {
        get
        {
            var data = new TheoryData<int, int, ResamplerPhase>();
            foreach (var (phase, pairs) in new[] { (ResamplerPhase.Linear, KeyPairs), (ResamplerPhase.Minimum, MinimumPhasePairs) })
            {
                foreach (var row in pairs)
                {
                    var (inputRate, outputRate) = row.Data;
                    data.Add(inputRate, outputRate, phase);
                }
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(KeyPairsAndPhases))]
    public void Passband_tones_keep_amplitude_within_0_1_dB_and_their_frequency(int inputRate, int outputRate, ResamplerPhase phase)
    {
        double lowerRate = Math.Min(inputRate, outputRate);
        foreach (double frequency in new[] { 100, 997, 0.3 * lowerRate, 0.4 * lowerRate, 0.45 * lowerRate })
        {
            float[] output = ResampleSteadyState(inputRate, outputRate, frequency, phase);

            double level = Spectrum.Db(Spectrum.ToneAmplitude(output, frequency, outputRate), Amplitude);
            TestContext.Current.TestOutputHelper?.WriteLine($"{inputRate}->{outputRate} {phase} phase, passband {frequency:F0} Hz: {level:+0.0000;-0.0000} dB");
            Assert.True(Math.Abs(level) < 0.1, $"{inputRate}->{outputRate}: {frequency} Hz came out at {level:F4} dB");
            var peak = Spectrum.StrongestComponent(output, outputRate);
            double binWidth = (double)outputRate / AnalysisLength;
            Assert.True(Math.Abs(peak.Frequency - frequency) <= binWidth,
                $"{inputRate}->{outputRate}: {frequency} Hz came out at {peak.Frequency} Hz");
        }
    }

    [Theory]
    [MemberData(nameof(KeyPairsAndPhases))]
    public void Everything_but_the_tone_is_more_than_90_dB_down(int inputRate, int outputRate, ResamplerPhase phase)
    {
        // A tone at the passband edge puts its image (upsampling) or alias (downsampling) nearest the band.
        double lowerRate = Math.Min(inputRate, outputRate);
        foreach (double frequency in new[] { 1000, 0.45 * lowerRate })
        {
            float[] output = ResampleSteadyState(inputRate, outputRate, frequency, phase);
            var spur = Spectrum.StrongestComponent(output, outputRate, frequency, excludeWidthHz: 30.0 * outputRate / AnalysisLength);
            double level = Spectrum.Db(spur.Amplitude, Amplitude);
            TestContext.Current.TestOutputHelper?.WriteLine($"{inputRate}->{outputRate} {phase} phase, tone {frequency:F0} Hz: strongest spur {level:F1} dB at {spur.Frequency:F0} Hz");
            Assert.True(level < -90, $"{inputRate}->{outputRate}, tone {frequency} Hz: spur at {spur.Frequency:F0} Hz, {level:F1} dB");
        }
    }

    [Theory]
    [InlineData(48000, 24000, ResamplerPhase.Linear)]
    [InlineData(44100, 24000, ResamplerPhase.Linear)]
    [InlineData(24000, 16000, ResamplerPhase.Linear)]
    [InlineData(24000, 8000, ResamplerPhase.Linear)]
    [InlineData(16000, 8000, ResamplerPhase.Linear)]
    [InlineData(24000, 16000, ResamplerPhase.Minimum)]
    [InlineData(48000, 24000, ResamplerPhase.Minimum)]
    [InlineData(44100, 24000, ResamplerPhase.Minimum)]
    public void Tones_above_the_new_Nyquist_are_attenuated_more_than_90_dB(int inputRate, int outputRate, ResamplerPhase phase)
    {
        double nyquistIn = inputRate / 2.0, nyquistOut = outputRate / 2.0;
        foreach (double frequency in new[] { nyquistOut * 1.02, (nyquistIn + nyquistOut) / 2, nyquistIn * 0.98 })
        {
            float[] output = ResampleSteadyState(inputRate, outputRate, frequency, phase);
            var strongest = Spectrum.StrongestComponent(output, outputRate);
            double level = Spectrum.Db(strongest.Amplitude, Amplitude);
            TestContext.Current.TestOutputHelper?.WriteLine($"{inputRate}->{outputRate} {phase} phase, tone {frequency:F0} Hz above Nyquist: {level:F1} dB");
            Assert.True(level < -90, $"{inputRate}->{outputRate}: {frequency:F0} Hz leaked at {strongest.Frequency:F0} Hz, {level:F1} dB");
        }
    }

    [Theory]
    [MemberData(nameof(KeyPairs))]
    public void Pcm16_path_keeps_a_passband_tone_within_0_1_dB(int inputRate, int outputRate)
    {
        const double amplitude = 16000;
        int inputCount = (int)((AnalysisLength + 4096L) * inputRate / outputRate);
        short[] input = Spectrum.SinePcm16(1000, inputRate, inputCount, amplitude);
        var resampler = new AudioResampler(inputRate, outputRate);
        var output = new short[resampler.GetMaxOutputCount(input.Length)];
        int written = resampler.Process(input, output);

        float[] steady = Array.ConvertAll(output[(written - AnalysisLength)..written], s => (float)s);
        double level = Spectrum.Db(Spectrum.ToneAmplitude(steady, 1000, outputRate), amplitude);
        Assert.True(Math.Abs(level) < 0.1, $"{inputRate}->{outputRate}: 1 kHz came out at {level:F4} dB");
    }

    /// <summary>Resamples enough of a sine that the last <see cref="AnalysisLength"/> outputs are past the start-up transient.</summary>
    internal static float[] ResampleSteadyState(
        int inputRate, int outputRate, double frequency, ResamplerPhase phase = ResamplerPhase.Linear)
    {
        var (samples, start, settle) = SteadyState.Resample(inputRate, outputRate, phase, frequency, AnalysisLength, Amplitude);
        Assert.True(start >= settle, $"only {start + samples.Length} samples came out");
        return samples;
    }
}
