using System.Numerics;

namespace V2V.Audio.Tests;

/// <summary>
/// Measures a resampler's group delay from outside, with tones: the output's phase against an undelayed sine at
/// the output rate, at two frequencies either side of the one of interest. Their phase difference over their
/// frequency difference is the envelope's lag, free of the whole-period ambiguity a single tone's phase has.
/// </summary>
internal static class ToneGroupDelay
{
    private const int AnalysisLength = 16384;
    private const double Amplitude = 0.5;

    // 40 Hz apart: delays up to 12.5 ms (8 -> 24 kHz linear phase is 9 ms) stay inside a phase difference of +-pi.
    private const double HalfSpacingHz = 20;

    /// <summary>The group delay, in seconds, of <paramref name="phase"/> resampling around <paramref name="frequency"/> Hz.</summary>
    public static double Measure(int inputRate, int outputRate, ResamplerPhase phase, double frequency)
    {
        double below = PhaseLag(inputRate, outputRate, phase, frequency - HalfSpacingHz);
        double above = PhaseLag(inputRate, outputRate, phase, frequency + HalfSpacingHz);
        double difference = Math.IEEERemainder(above - below, 2 * Math.PI);
        return difference / (2 * Math.PI * 2 * HalfSpacingHz);
    }

    // How far the output's phase trails that of sin(2 pi f n / out), the input's sine had it not been delayed, in
    // radians (modulo a whole turn). Output n stands for input time n / out, so an ideal resampler would give it.
    private static double PhaseLag(int inputRate, int outputRate, ResamplerPhase phase, double frequency)
    {
        var (output, start, _) = SteadyState.Resample(inputRate, outputRate, phase, frequency, AnalysisLength, Amplitude);
        double omega = 2 * Math.PI * frequency / outputRate;
        Complex measured = 0, ideal = 0;
        for (int n = 0; n < AnalysisLength; n++)
        {
            // A Hann window: the tone's mirror image at -f lies thousands of bins away, its leakage negligible.
            double w = 0.5 - 0.5 * Math.Cos(2 * Math.PI * n / AnalysisLength);
            var probe = Complex.FromPolarCoordinates(w, -omega * (start + n));
            measured += output[n] * probe;
            ideal += Amplitude * Math.Sin(omega * (start + n)) * probe;
        }

        return -(measured / ideal).Phase;
    }
}
