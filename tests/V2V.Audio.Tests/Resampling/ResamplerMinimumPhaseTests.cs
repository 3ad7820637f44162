namespace V2V.Audio.Tests;

/// <summary>
/// The minimum-phase mode: the magnitude response of the linear-phase filter (the same passband and rejection
/// goals) with a fraction of its delay at speech frequencies, and the same framing guarantees.
/// </summary>
public sealed class ResamplerMinimumPhaseTests
{
    private const double Amplitude = 0.5;

    /// <summary>The pairs of the voice agent's input (mic rates to 24 kHz) and output paths.</summary>
    public static TheoryData<int, int> Pairs => new()
    {
        { 16000, 24000 }, { 24000, 16000 }, { 48000, 24000 }, { 24000, 48000 }, { 8000, 24000 }, { 44100, 24000 },
    };

    [Theory]
    [MemberData(nameof(Pairs))]
    public void Passband_tones_keep_amplitude_within_0_1_dB(int inputRate, int outputRate)
    {
        double lowerRate = Math.Min(inputRate, outputRate);
        foreach (double frequency in new[] { 100, 997, 0.3 * lowerRate, 0.4 * lowerRate, 0.45 * lowerRate })
        {
            float[] output = ResamplerQualityTests.ResampleSteadyState(inputRate, outputRate, frequency, ResamplerPhase.Minimum);
            double level = Spectrum.Db(Spectrum.ToneAmplitude(output, frequency, outputRate), Amplitude);
            TestContext.Current.TestOutputHelper?.WriteLine($"{inputRate}->{outputRate} minimum phase, {frequency:F0} Hz: {level:+0.0000;-0.0000} dB");
            Assert.True(Math.Abs(level) < 0.1, $"{inputRate}->{outputRate}: {frequency} Hz came out at {level:F4} dB");
        }
    }

    [Theory]
    [MemberData(nameof(Pairs))]
    public void Everything_but_the_tone_is_more_than_90_dB_down(int inputRate, int outputRate)
    {
        double lowerRate = Math.Min(inputRate, outputRate);
        double binWidth = (double)outputRate / 16384;
        foreach (double frequency in new[] { 1000, 0.45 * lowerRate })
        {
            float[] output = ResamplerQualityTests.ResampleSteadyState(inputRate, outputRate, frequency, ResamplerPhase.Minimum);
            var spur = Spectrum.StrongestComponent(output, outputRate, frequency, excludeWidthHz: 30 * binWidth);
            double level = Spectrum.Db(spur.Amplitude, Amplitude);
            TestContext.Current.TestOutputHelper?.WriteLine($"{inputRate}->{outputRate} minimum phase, tone {frequency:F0} Hz: strongest spur {level:F1} dB at {spur.Frequency:F0} Hz");
            Assert.True(level < -90, $"{inputRate}->{outputRate}, tone {frequency} Hz: spur at {spur.Frequency:F0} Hz, {level:F1} dB");
        }
    }

    [Theory]
    [InlineData(24000, 16000)]
    [InlineData(48000, 24000)]
    [InlineData(44100, 24000)]
    public void Tones_above_the_new_Nyquist_are_attenuated_more_than_90_dB(int inputRate, int outputRate)
    {
        double nyquistIn = inputRate / 2.0, nyquistOut = outputRate / 2.0;
        foreach (double frequency in new[] { nyquistOut * 1.02, (nyquistIn + nyquistOut) / 2, nyquistIn * 0.98 })
        {
            float[] output = ResamplerQualityTests.ResampleSteadyState(inputRate, outputRate, frequency, ResamplerPhase.Minimum);
            var strongest = Spectrum.StrongestComponent(output, outputRate);
            double level = Spectrum.Db(strongest.Amplitude, Amplitude);
            TestContext.Current.TestOutputHelper?.WriteLine($"{inputRate}->{outputRate} minimum phase, {frequency:F0} Hz above Nyquist: {level:F1} dB");
            Assert.True(level < -90, $"{inputRate}->{outputRate}: {frequency:F0} Hz leaked at {strongest.Frequency:F0} Hz, {level:F1} dB");
        }
    }

    [Theory]
    [MemberData(nameof(Pairs))]
    public void Magnitude_response_is_that_of_the_linear_phase_filter(int inputRate, int outputRate)
    {
        // Through the passband and down the transition band, where a wrong design would show first.
        double lowerRate = Math.Min(inputRate, outputRate);
        foreach (double fraction in new[] { 0.01, 0.1, 0.2, 0.35, 0.44, 0.46, 0.475, 0.49 })
        {
            double frequency = fraction * lowerRate;
            double linear = Spectrum.ToneAmplitude(ResamplerQualityTests.ResampleSteadyState(inputRate, outputRate, frequency), frequency, outputRate);
            double minimum = Spectrum.ToneAmplitude(
                ResamplerQualityTests.ResampleSteadyState(inputRate, outputRate, frequency, ResamplerPhase.Minimum), frequency, outputRate);
            double difference = Spectrum.Db(Math.Abs(minimum - linear), Amplitude);
            TestContext.Current.TestOutputHelper?.WriteLine(
                $"{inputRate}->{outputRate} {frequency:F0} Hz: linear {Spectrum.Db(linear, Amplitude):F2} dB, minimum {Spectrum.Db(minimum, Amplitude):F2} dB, difference {difference:F1} dB");
            Assert.True(difference < -110, $"{inputRate}->{outputRate} at {frequency:F0} Hz: the gains differ by {difference:F1} dB of full scale");
        }
    }

    [Theory]
    [MemberData(nameof(Pairs))]
    public void Frames_of_any_size_give_the_same_output_as_one_call(int inputRate, int outputRate)
    {
        short[] input = ResamplerStreamingTests.Noise(inputRate / 2, seed: inputRate + outputRate);
        short[] whole = ResamplerStreamingTests.ResampleInFrames(inputRate, outputRate, input, [input.Length], ResamplerPhase.Minimum);

        int ms10 = inputRate / 100;
        foreach (int[] frameSizes in new[] { new[] { ms10 }, [2 * ms10], [10 * ms10], [1, 7, 333, 0, 1001, 2] })
        {
            short[] framed = ResamplerStreamingTests.ResampleInFrames(inputRate, outputRate, input, frameSizes, ResamplerPhase.Minimum);
            Assert.Equal(whole, framed);
        }
    }

    [Theory]
    [MemberData(nameof(Pairs))]
    public void A_1_kHz_tone_is_delayed_under_1_ms_as_reported(int inputRate, int outputRate)
    {
        var resampler = new AudioResampler(inputRate, outputRate, ResamplerPhase.Minimum);
        double measured = ToneGroupDelay.Measure(inputRate, outputRate, ResamplerPhase.Minimum, 1000);
        double errorInSamples = (measured * outputRate) - resampler.DelayInOutputSamples;
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{inputRate}->{outputRate} minimum phase: 1 kHz group delay measured {measured * 1000:F3} ms, reported {resampler.Delay.TotalMilliseconds:F3} ms ({errorInSamples:+0.0000;-0.0000} samples off)");
        Assert.InRange(measured, 0, 0.001);
        Assert.InRange(errorInSamples, -0.05, 0.05);
    }

    [Theory]
    [MemberData(nameof(Pairs))]
    public void The_delay_at_1_kHz_is_under_a_quarter_of_the_linear_phase_delay(int inputRate, int outputRate)
    {
        double linear = ToneGroupDelay.Measure(inputRate, outputRate, ResamplerPhase.Linear, 1000);
        double minimum = ToneGroupDelay.Measure(inputRate, outputRate, ResamplerPhase.Minimum, 1000);
        double linearReported = new AudioResampler(inputRate, outputRate).Delay.TotalSeconds;
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{inputRate}->{outputRate} 1 kHz group delay: linear {linear * 1000:F3} ms (reported {linearReported * 1000:F3}), minimum {minimum * 1000:F3} ms");
        // The measure itself must see the linear filter's known, exact delay, or a small number proves nothing.
        Assert.InRange((linear - linearReported) * outputRate, -0.05, 0.05);
        Assert.True(minimum < linear / 4, $"{inputRate}->{outputRate}: minimum phase {minimum * 1000:F3} ms against linear {linear * 1000:F3} ms");
    }

    [Theory]
    [MemberData(nameof(Pairs))]
    public void A_click_peaks_within_a_sample_and_a_half_of_the_reported_delay(int inputRate, int outputRate)
    {
        var input = new float[inputRate / 10];
        const int clickAt = 400;
        input[clickAt] = 1;
        var resampler = new AudioResampler(inputRate, outputRate, ResamplerPhase.Minimum);
        var output = new float[resampler.GetMaxOutputCount(input.Length)];
        int written = resampler.Process(input, output);

        int peak = 0;
        for (int i = 1; i < written; i++)
        {
            peak = Math.Abs(output[i]) > Math.Abs(output[peak]) ? i : peak;
        }

        double expected = clickAt * (double)outputRate / inputRate + resampler.DelayInOutputSamples;
        Assert.InRange(peak, expected - 1.5, expected + 1.5);
    }

    [Fact]
    public void The_mode_is_kept_and_the_two_argument_constructor_stays_linear()
    {
        Assert.Equal(ResamplerPhase.Linear, new AudioResampler(16000, 24000).Phase);
        var minimum = new AudioResampler(16000, 24000, ResamplerPhase.Minimum);
        Assert.Equal(ResamplerPhase.Minimum, minimum.Phase);
        Assert.Equal(new AudioResampler(16000, 24000).TapsPerOutputSample, minimum.TapsPerOutputSample);
        Assert.Equal("phase", Assert.Throws<ArgumentOutOfRangeException>(() => new AudioResampler(16000, 24000, (ResamplerPhase)7)).ParamName);
    }
}
