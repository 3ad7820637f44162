using System.Diagnostics;
using V2V.Audio;
using V2V.Audio.Tests;

namespace V2V.Load;

/// <summary>
/// The resampler, in both its phase modes, against sox (<c>rate -v</c>, its very-high-quality setting) on the same
/// float signals: passband ripple (tones from 20 Hz to 0.45 of the lower rate, and a slow log sweep), stopband
/// rejection (the strongest alias or image, tones swept across the band that must be removed), THD+N of a 1 kHz
/// tone, and for ours the group delay at 1 kHz (what a voice-activity detector downstream waits for).
/// </summary>
internal static class QualityRunner
{
    private const int Analysis = 16384;
    private const double Amplitude = 0.5;

    public static void Run()
    {
        Console.WriteLine($"sox: {SoxVersion()}");
        Console.WriteLine();
        Console.WriteLine("| pair | resampler | passband ripple, tones (dB) | passband ripple, sweep (dB) | worst alias/image (dB) | THD+N 1 kHz (dB) | group delay 1 kHz (ms) |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|---:|");
        foreach (var (input, output) in new[] { (48000, 24000), (16000, 24000), (24000, 16000), (24000, 48000) })
        {
            foreach (var name in new[] { "v2v", "v2v minimum phase", "sox rate -v" })
            {
                Func<float[], float[]> resample = name switch
                {
                    "v2v" => x => Ours(x, input, output, ResamplerPhase.Linear),
                    "v2v minimum phase" => x => Ours(x, input, output, ResamplerPhase.Minimum),
                    _ => x => Sox(x, input, output),
                };
                double lower = Math.Min(input, output);
                var gains = new List<double>();
                for (double f = 20; f <= 0.45 * lower; f *= 1.25)
                {
                    gains.Add(ToneLevel(resample, input, output, f));
                }
                gains.Add(ToneLevel(resample, input, output, 0.45 * lower));
                double ripple = gains.Max() - gains.Min();
                double sweepRipple = SweepRipple(resample, input, output, 0.45 * lower);
                double worst = double.NegativeInfinity;
                // Downsampling: tones the output cannot hold must vanish. Upsampling: the images of passband tones.
                var stopTones = input > output
                    ? Enumerable.Range(0, 12).Select(i => output / 2.0 * 1.02 + i * (input / 2.0 * 0.98 - output / 2.0 * 1.02) / 11)
                    : Enumerable.Range(0, 12).Select(i => 100 + i * (0.45 * lower - 100) / 11);
                foreach (var f in stopTones)
                {
                    var y = Steady(resample(Spectrum.Sine(f, input, Length(input, output), Amplitude)));
                    var spur = input > output
                        ? Spectrum.StrongestComponent(y, output)
                        : Spectrum.StrongestComponent(y, output, f, 30.0 * output / Analysis);
                    worst = Math.Max(worst, Spectrum.Db(spur.Amplitude, Amplitude));
                }
                double thdn = ThdN(resample(Spectrum.Sine(1000, input, Length(input, output), Amplitude)), output, 1000);
                // sox runs offline and trims its filter's delay from the output, so a delay of its would mean nothing here.
                string delay = name switch
                {
                    "v2v" => (ToneGroupDelay.Measure(input, output, ResamplerPhase.Linear, 1000) * 1000).ToString("F3"),
                    "v2v minimum phase" => (ToneGroupDelay.Measure(input, output, ResamplerPhase.Minimum, 1000) * 1000).ToString("F3"),
                    _ => "-",
                };
                Console.WriteLine($"| {input / 1000} -> {output / 1000} kHz | {name} | {ripple:F4} | {sweepRipple:F4} | {(worst < -200 ? "< -200" : worst.ToString("F1"))} | {thdn:F1} | {delay} |");
            }
        }
        Console.WriteLine();
        Console.WriteLine("Goal: flat within 0.1 dB to 0.45 of the lower rate, more than 90 dB rejection. The sweep measure's own floor is about 0.015 dB (partial periods in a window).");
        Console.WriteLine("Group delay: measured from the output's phase at 980 and 1020 Hz against undelayed sines; sox is not measured (offline, its delay trimmed).");
    }

    private static int Length(int input, int output) => (int)((long)(Analysis + 16384) * input / output) + 2;

    // The middle of the output: past the start-up transient, and clear of the end (sox flushes its filter's tail).
    private static float[] Steady(float[] y) => y[(y.Length / 2 - Analysis / 2)..(y.Length / 2 + Analysis / 2)];

    private static double ToneLevel(Func<float[], float[]> resample, int input, int output, double f)
    {
        var y = Steady(resample(Spectrum.Sine(f, input, Length(input, output), Amplitude)));
        return Spectrum.Db(Spectrum.ToneAmplitude(y, f, output), Amplitude);
    }

    // A log sweep over 20 s from 20 Hz to the passband edge; its level in 250 ms windows from where it passes
    // 200 Hz (a window then holds 50 periods or more, so a partial period moves the level by under 0.015 dB) to a
    // second before its end, against the input's level: the largest minus the smallest, in dB.
    private static double SweepRipple(Func<float[], float[]> resample, int input, int output, double top)
    {
        const double seconds = 20;
        int n = (int)(seconds * input);
        var x = new float[n];
        double k = Math.Log(top / 20), phase = 0;
        for (int i = 0; i < n; i++)
        {
            double f = 20 * Math.Exp(k * i / n);
            phase += 2 * Math.PI * f / input;
            x[i] = (float)(Amplitude * Math.Sin(phase));
        }
        var y = resample(x);
        int window = output / 4;
        int first = (int)(Math.Log(200 / 20.0) / k * seconds * output);
        var levels = new List<double>();
        for (int start = first; start + window < (seconds - 1) * output; start += window)
        {
            double sum = 0;
            for (int i = start; i < start + window; i++)
            {
                sum += (double)y[i] * y[i];
            }
            levels.Add(10 * Math.Log10(sum / window / (Amplitude * Amplitude / 2)));
        }
        return levels.Max() - levels.Min();
    }

    // Everything but the tone (its main lobe), relative to the tone, over the whole output band.
    private static double ThdN(float[] output, int rate, double f)
    {
        var y = Steady(output);
        double tone = Spectrum.ToneAmplitude(y, f, rate);
        // Remove the tone (and DC) by least squares: solve the 3x3 normal equations of sin, cos and 1.
        double omega = 2 * Math.PI * f / rate;
        var a = new double[3, 3];
        var b = new double[3];
        for (int i = 0; i < y.Length; i++)
        {
            double[] basis = [Math.Sin(omega * i), Math.Cos(omega * i), 1];
            for (int r = 0; r < 3; r++)
            {
                b[r] += basis[r] * y[i];
                for (int c = 0; c < 3; c++)
                {
                    a[r, c] += basis[r] * basis[c];
                }
            }
        }
        var coefficients = Solve(a, b);
        double residual = 0;
        for (int i = 0; i < y.Length; i++)
        {
            double e = y[i] - (coefficients[0] * Math.Sin(omega * i) + coefficients[1] * Math.Cos(omega * i) + coefficients[2]);
            residual += e * e;
        }
        residual /= y.Length;
        return 10 * Math.Log10(residual / (tone * tone / 2));
    }

    private static double[] Solve(double[,] a, double[] b)
    {
        int n = b.Length;
        for (int p = 0; p < n; p++)
        {
            for (int r = p + 1; r < n; r++)
            {
                double factor = a[r, p] / a[p, p];
                for (int c = p; c < n; c++)
                {
                    a[r, c] -= factor * a[p, c];
                }
                b[r] -= factor * b[p];
            }
        }
        var x = new double[n];
        for (int r = n - 1; r >= 0; r--)
        {
            double sum = b[r];
            for (int c = r + 1; c < n; c++)
            {
                sum -= a[r, c] * x[c];
            }
            x[r] = sum / a[r, r];
        }
        return x;
    }

    private static float[] Ours(float[] x, int input, int output, ResamplerPhase phase)
    {
        var resampler = new AudioResampler(input, output, phase);
        var y = new float[resampler.GetMaxOutputCount(x.Length)];
        int written = resampler.Process(x, y);
        return y[..written];
    }

    private static float[] Sox(float[] x, int input, int output)
    {
        var info = new ProcessStartInfo("sox", $"-t raw -e floating-point -b 32 -c 1 -r {input} - -t raw -e floating-point -b 32 -c 1 -r {output} - rate -v")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(info)!;
        var bytes = new byte[x.Length * 4];
        Buffer.BlockCopy(x, 0, bytes, 0, bytes.Length);
        var writer = Task.Run(() =>
        {
            process.StandardInput.BaseStream.Write(bytes);
            process.StandardInput.Close();
        });
        using var memory = new MemoryStream();
        process.StandardOutput.BaseStream.CopyTo(memory);
        writer.Wait();
        process.WaitForExit();
        var result = new float[memory.Length / 4];
        Buffer.BlockCopy(memory.ToArray(), 0, result, 0, (int)memory.Length);
        return result;
    }

    private static string SoxVersion()
    {
        using var process = Process.Start(new ProcessStartInfo("sox", "--version") { RedirectStandardOutput = true, UseShellExecute = false })!;
        var text = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        return text;
    }
}
