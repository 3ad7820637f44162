namespace V2V.Audio.Tests;

/// <summary>
/// A sine through a resampler, long enough that the last outputs are past the start-up transient. Shared by the
/// tests and the quality harness (bench/V2V.Load links this file), so both measure the same way.
/// </summary>
internal static class SteadyState
{
    /// <summary>
    /// The last <paramref name="length"/> outputs of a sine of <paramref name="amplitude"/>, the index of the first
    /// of them in the whole output (a phase reference), and how many outputs the transient lasts.
    /// </summary>
    public static (float[] Samples, int Start, int Settle) Resample(
        int inputRate, int outputRate, ResamplerPhase phase, double frequency, int length, double amplitude)
    {
        var resampler = new AudioResampler(inputRate, outputRate, phase);
        // The transient lasts as long as the filter spans: its taps per output, counted in output samples.
        int settle = (int)Math.Ceiling((double)resampler.TapsPerOutputSample * outputRate / inputRate) + 64;
        int inputCount = (int)((long)(length + settle) * inputRate / outputRate) + 2;
        float[] input = Spectrum.Sine(frequency, inputRate, inputCount, amplitude);
        var output = new float[resampler.GetMaxOutputCount(input.Length)];
        int written = resampler.Process(input, output);
        return (output[Math.Max(0, written - length)..written], written - length, settle);
    }
}
