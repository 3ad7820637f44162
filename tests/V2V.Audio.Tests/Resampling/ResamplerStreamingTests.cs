namespace V2V.Audio.Tests;

/// <summary>Frame-by-frame use: continuity, exact counts, delay, edges of the pcm16 range.</summary>
public sealed class ResamplerStreamingTests
{
    public static TheoryData<int, int> KeyPairs => ResamplerQualityTests.KeyPairs;

    public static TheoryData<int, int, ResamplerPhase> KeyPairsAndPhases => ResamplerQualityTests.KeyPairsAndPhases;

    [Theory]
    [MemberData(nameof(KeyPairsAndPhases))]
    public void Frames_of_any_size_give_the_same_output_as_one_call(int inputRate, int outputRate, ResamplerPhase phase)
    {
        short[] input = Noise(inputRate / 2, seed: inputRate + outputRate);
        short[] whole = ResampleInFrames(inputRate, outputRate, input, [input.Length], phase);

        int ms10 = inputRate / 100;
        foreach (int[] frameSizes in new[] { new[] { ms10 }, [2 * ms10], [10 * ms10], [1, 7, 333, 0, 1001, 2] })
        {
            short[] framed = ResampleInFrames(inputRate, outputRate, input, frameSizes, phase);
            Assert.Equal(whole, framed);
        }
    }

    [Fact]
    public void From_44100_to_24000_every_10_ms_frame_gives_exactly_240_samples()
    {
        var resampler = new AudioResampler(44100, 24000);
        var frame = new short[441];
        var output = new short[resampler.GetMaxOutputCount(frame.Length)];
        for (int i = 0; i < 6000; i++)
        {
            Assert.Equal(240, resampler.Process(frame, output));
        }
    }

    [Theory]
    [InlineData(44100, 24000)]
    [InlineData(24000, 44100)]
    [InlineData(22050, 16000)]
    [InlineData(11025, 48000)]
    public void Total_output_is_exactly_ceil_of_input_times_ratio_whatever_the_frame_sizes(int inputRate, int outputRate)
    {
        var resampler = new AudioResampler(inputRate, outputRate);
        var random = new Random(42);
        var input = new short[2000];
        var output = new short[resampler.GetMaxOutputCount(input.Length)];
        long consumed = 0, produced = 0;
        for (int i = 0; i < 3000; i++)
        {
            int count = random.Next(0, input.Length);
            produced += resampler.Process(input.AsSpan(0, count), output);
            consumed += count;
            long expected = (consumed * outputRate + inputRate - 1) / inputRate;
            Assert.Equal(expected, produced);
        }
    }

    [Theory]
    [MemberData(nameof(KeyPairs))]
    public void Silence_in_gives_exact_silence_out(int inputRate, int outputRate)
    {
        short[] output = ResampleInFrames(inputRate, outputRate, new short[inputRate / 5], [inputRate / 100]);
        Assert.NotEmpty(output);
        Assert.All(output, s => Assert.Equal(0, s));
    }

    [Theory]
    [MemberData(nameof(KeyPairs))]
    public void Full_scale_overshoot_saturates_instead_of_wrapping(int inputRate, int outputRate)
    {
        // A full-scale square wave rings above full scale after band-limiting (Gibbs).
        int period = inputRate / 500;
        var input = new short[inputRate / 10];
        for (int n = 0; n < input.Length; n++)
        {
            input[n] = n % period < period / 2 ? short.MaxValue : short.MinValue;
        }

        var reference = new AudioResampler(inputRate, outputRate);
        var unclipped = new float[reference.GetMaxOutputCount(input.Length)];
        reference.Process(Array.ConvertAll(input, s => (float)s), unclipped);
        short[] output = ResampleInFrames(inputRate, outputRate, input, [input.Length]);

        Assert.Contains(unclipped, v => v > short.MaxValue);
        for (int i = 0; i < output.Length; i++)
        {
            float expected = Math.Clamp(MathF.Round(unclipped[i]), short.MinValue, short.MaxValue);
            Assert.Equal(expected, output[i]);
        }
    }

    [Theory]
    [MemberData(nameof(KeyPairsAndPhases))]
    public void An_impulse_comes_out_after_the_reported_delay(int inputRate, int outputRate, ResamplerPhase phase)
    {
        var input = new float[inputRate / 10];
        const int impulseAt = 400;
        input[impulseAt] = 1;
        var resampler = new AudioResampler(inputRate, outputRate, phase);
        var output = new float[resampler.GetMaxOutputCount(input.Length)];
        int written = resampler.Process(input, output);

        int peak = 0;
        for (int i = 1; i < written; i++)
        {
            peak = Math.Abs(output[i]) > Math.Abs(output[peak]) ? i : peak;
        }

        // The linear filter's peak is its centre; the minimum-phase filter's reported delay is its group delay at
        // 1 kHz, which its peak follows within a sample and a half.
        double expected = impulseAt * (double)outputRate / inputRate + resampler.DelayInOutputSamples;
        double tolerance = phase == ResamplerPhase.Linear ? 1 : 1.5;
        Assert.InRange(peak, expected - tolerance, expected + tolerance);
    }

    [Fact]
    public void Same_rate_passes_samples_through_with_no_delay()
    {
        var resampler = new AudioResampler(24000, 24000);
        short[] input = Noise(480, seed: 1);
        var output = new short[480];

        Assert.True(resampler.IsPassThrough);
        Assert.Equal(0, resampler.DelayInOutputSamples);
        Assert.Equal(480, resampler.Process(input, output));
        Assert.Equal(input, output);
    }

    [Theory]
    [InlineData(48000, 24000)]
    [InlineData(24000, 8000)]
    [InlineData(24000, 16000)]
    [InlineData(24000, 22050)]
    [InlineData(24000, 44100)]
    [InlineData(24000, 48000)]
    [InlineData(16000, 24000)]
    public void Reset_starts_a_new_stream(int from, int to)
    {
        var resampler = new AudioResampler(from, to);
        short[] input = Noise(4800, seed: 3);
        var first = new short[resampler.GetMaxOutputCount(input.Length)];
        var second = new short[first.Length];
        resampler.Process(input, first);
        resampler.Reset();
        resampler.Process(input, second);
        Assert.Equal(first, second);
    }

    [Fact]
    public void Bad_arguments_are_refused_with_the_parameter_named()
    {
        Assert.Equal("inputSampleRate", Assert.Throws<ArgumentOutOfRangeException>(() => new AudioResampler(500, 24000)).ParamName);
        Assert.Equal("outputSampleRate", Assert.Throws<ArgumentOutOfRangeException>(() => new AudioResampler(24000, 1_000_000)).ParamName);
        var resampler = new AudioResampler(16000, 24000);
        var error = Assert.Throws<ArgumentException>(() => resampler.Process(new short[160], new short[200]));
        Assert.Equal("output", error.ParamName);
        Assert.Contains("GetMaxOutputCount", error.Message, StringComparison.Ordinal);
        Assert.Throws<NotSupportedException>(() => new AudioResampler(47999, 48000));
    }

    internal static short[] ResampleInFrames(
        int inputRate, int outputRate, short[] input, int[] frameSizes, ResamplerPhase phase = ResamplerPhase.Linear)
    {
        var resampler = new AudioResampler(inputRate, outputRate, phase);
        var result = new List<short>();
        var output = new short[resampler.GetMaxOutputCount(input.Length)];
        int offset = 0;
        for (int i = 0; offset < input.Length; i++)
        {
            int size = Math.Min(frameSizes[i % frameSizes.Length], input.Length - offset);
            int written = resampler.Process(input.AsSpan(offset, size), output);
            result.AddRange(output.AsSpan(0, written));
            offset += size;
        }

        return [.. result];
    }

    internal static short[] Noise(int count, int seed)
    {
        var random = new Random(seed);
        var samples = new short[count];
        for (int i = 0; i < count; i++)
        {
            samples[i] = (short)random.Next(-20000, 20000);
        }

        return samples;
    }
}
