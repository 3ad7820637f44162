using System.Numerics;

namespace V2V.Audio.Tests;

/// <summary>
/// Measurement helpers for tests: tone amplitude at an exact frequency and the strongest spectral component
/// away from it. A Kaiser window with beta 20 keeps its own leakage near -150 dB, far below the 90 dB the
/// resampler must reach, so what these report is the resampler and not the window.
/// </summary>
internal static class Spectrum
{
    private const double WindowBeta = 20;

    /// <summary>A sine of <paramref name="amplitude"/> at <paramref name="frequency"/> Hz.</summary>
    public static float[] Sine(double frequency, int sampleRate, int count, double amplitude)
    {
        var x = new float[count];
        for (int n = 0; n < count; n++)
        {
            x[n] = (float)(amplitude * Math.Sin(2 * Math.PI * frequency * n / sampleRate));
        }

        return x;
    }

    /// <summary>The sine as pcm16, rounded.</summary>
    public static short[] SinePcm16(double frequency, int sampleRate, int count, double amplitude)
        => Array.ConvertAll(Sine(frequency, sampleRate, count, amplitude), v => (short)Math.Round(v));

    /// <summary>The peak amplitude of the component at exactly <paramref name="frequency"/> Hz (windowed DTFT).</summary>
    public static double ToneAmplitude(ReadOnlySpan<float> x, double frequency, int sampleRate)
    {
        double[] w = Window(x.Length);
        double re = 0, im = 0, wsum = 0, omega = 2 * Math.PI * frequency / sampleRate;
        for (int n = 0; n < x.Length; n++)
        {
            re += w[n] * x[n] * Math.Cos(omega * n);
            im -= w[n] * x[n] * Math.Sin(omega * n);
            wsum += w[n];
        }

        return 2 * Math.Sqrt(re * re + im * im) / wsum;
    }

    /// <summary>
    /// The frequency and amplitude of the strongest component of <paramref name="x"/> (its length a power of
    /// two) outside <paramref name="excludeHz"/> +- <paramref name="excludeWidthHz"/>; DC is never excluded.
    /// </summary>
    public static (double Frequency, double Amplitude) StrongestComponent(
        ReadOnlySpan<float> x, int sampleRate, double excludeHz = -1, double excludeWidthHz = 0)
    {
        int n = x.Length;
        if ((n & (n - 1)) != 0)
        {
            throw new ArgumentException("Length must be a power of two.", nameof(x));
        }

        double[] w = Window(n);
        var data = new Complex[n];
        double wsum = 0;
        for (int i = 0; i < n; i++)
        {
            data[i] = w[i] * x[i];
            wsum += w[i];
        }

        RadixTwoFft.Forward(data);
        double bestAmp = 0, bestFreq = 0;
        for (int k = 0; k <= n / 2; k++)
        {
            double f = (double)k * sampleRate / n;
            if (Math.Abs(f - excludeHz) <= excludeWidthHz)
            {
                continue;
            }

            double amp = 2 * data[k].Magnitude / wsum;
            if (amp > bestAmp)
            {
                bestAmp = amp;
                bestFreq = f;
            }
        }

        return (bestFreq, bestAmp);
    }

    /// <summary>Level of <paramref name="amplitude"/> relative to <paramref name="reference"/> in dB.</summary>
    public static double Db(double amplitude, double reference) => 20 * Math.Log10(Math.Max(amplitude, 1e-30) / reference);

    private static double[] Window(int n)
    {
        var w = new double[n];
        double denominator = BesselI0(WindowBeta);
        for (int i = 0; i < n; i++)
        {
            double r = 2.0 * i / (n - 1) - 1;
            w[i] = BesselI0(WindowBeta * Math.Sqrt(1 - r * r)) / denominator;
        }

        return w;
    }

    private static double BesselI0(double x)
    {
        double sum = 1, term = 1;
        for (int k = 1; k < 200 && term > 1e-18 * sum; k++)
        {
            term *= x * x / 4 / ((double)k * k);
            sum += term;
        }

        return sum;
    }
}
