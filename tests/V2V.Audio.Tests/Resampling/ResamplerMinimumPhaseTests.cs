namespace V2V.Audio.Tests;

/// <summary>
/// The minimum-phase mode: the magnitude response of the linear-phase filter with a fraction of its delay at speech
/// frequencies. Its passband, rejection, framing and impulse position are checked beside the linear filter's, in
/// <see cref="ResamplerQualityTests"/> and <see cref="ResamplerStreamingTests"/>.
/// </summary>
public sealed class ResamplerMinimumPhaseTests
{
    private const double Amplitude = 0.5;

    public static TheoryData<int, int> Pairs => ResamplerQualityTests.MinimumPhasePairs;

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
