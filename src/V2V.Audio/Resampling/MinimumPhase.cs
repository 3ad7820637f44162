using System.Numerics;

namespace V2V.Audio;

/// <summary>
/// Turns a linear-phase FIR filter into the minimum-phase filter of the same length with the same magnitude
/// response, by the homomorphic (real cepstrum) method: a filter whose log-magnitude and phase form a causal
/// cepstrum is minimum phase, so the cepstrum of log|H| is folded onto positive quefrencies and exponentiated
/// back. Every zero outside the unit circle moves to its mirror image inside (a linear-phase filter's zeros come
/// in such mirror pairs, which become double zeros), so the magnitude is unchanged and the energy moves to the
/// start of the impulse response.
/// </summary>
/// <remarks>
/// This keeps the full magnitude |H|, not its square root (which is what designing for a minimum-phase
/// "half" of a filter, e.g. scipy's homomorphic method, gives). Design-time only, once per rate pair and
/// process: 10 to 60 ms for the filters of a few hundred taps of 8/16/24/32/48 kHz pairs; the 20,000-tap filters
/// of 44.1 kHz pairs need grids of one or two million points: about 0.5 s (44.1 -> 24 kHz) to 1.5 s (24 -> 44.1 kHz).
/// </remarks>
internal static class MinimumPhase
{
    /// <summary>
    /// The first FFT grid is at least this many times the filter's length: the log of a magnitude with deep
    /// stopband zeros has a slowly decaying cepstrum, which a short grid folds (aliases) back onto the wanted one.
    /// </summary>
    public const int GridOversampling = 32;

    /// <summary>... and at least this long (for the short filters of common pairs it is still only milliseconds), and at most <see cref="MaximumGridSize"/>.</summary>
    public const int MinimumGridSize = 1 << 15;

    /// <summary>
    /// The grid stops doubling here (32 MB per array). The long filters of 22.05 and 44.1 kHz pairs may stop here
    /// a little short of <see cref="MagnitudeTolerance"/>: within -110 dB instead of -120 dB.
    /// </summary>
    public const int MaximumGridSize = 1 << 21;

    /// <summary>
    /// The magnitude is floored at this fraction of its peak (-140 dB) before the log, so stopband zeros do not
    /// give -infinity. It is 40 dB under the 100 dB stopband: it only fills the narrow notches at the zeros.
    /// (A higher floor, -120 dB, let the grid alias less but visibly lifted the far stopband, which is near
    /// -150 dB; -200 dB left notches so sharp that short filters came out 80 dB off.)
    /// </summary>
    public const double MagnitudeFloor = 1e-7;

    /// <summary>
    /// The result's magnitude must match the original's within this fraction of the peak (-120 dB) everywhere on
    /// the grid; otherwise the grid doubles. Where zeros fall between grid points decides how much a grid aliases,
    /// so no fixed oversampling is safe for every pair: 16x left some short filters 88 dB off, some long ones
    /// need 100x.
    /// </summary>
    public const double MagnitudeTolerance = 1e-6;

    /// <summary>The minimum-phase equivalent of <paramref name="linearPhase"/>: same length, same magnitude response.</summary>
    public static double[] From(ReadOnlySpan<double> linearPhase)
    {
        int length = linearPhase.Length;
        ulong wanted = BitOperations.RoundUpToPowerOf2((ulong)GridOversampling * (ulong)length);
        int size = (int)Math.Clamp(wanted, MinimumGridSize, (ulong)MaximumGridSize);
        double[] best = [];
        double bestError = double.PositiveInfinity;
        for (; size <= MaximumGridSize; size *= 2)
        {
            double[] magnitude = Magnitude(linearPhase, size);
            double[] candidate = FromMagnitude(magnitude, length);
            double error = LargestMagnitudeError(candidate, magnitude);
            if (error < bestError)
            {
                (best, bestError) = (candidate, error);
            }

            if (bestError <= MagnitudeTolerance)
            {
                break;
            }
        }

        return best;
    }

    // |H| of the filter on a grid of size points, normalized to a peak of 1.
    private static double[] Magnitude(ReadOnlySpan<double> taps, int size)
    {
        var spectrum = new Complex[size];
        for (int n = 0; n < taps.Length; n++)
        {
            spectrum[n] = taps[n];
        }

        RadixTwoFft.Forward(spectrum);
        var magnitude = new double[size];
        double peak = 0;
        for (int k = 0; k < size; k++)
        {
            magnitude[k] = spectrum[k].Magnitude;
            peak = Math.Max(peak, magnitude[k]);
        }

        for (int k = 0; k < size; k++)
        {
            magnitude[k] /= peak;
        }

        return magnitude;
    }

    // The first length taps of the minimum-phase filter with this magnitude (with the filter's gain undone
    // later by the caller's normalization, the peak of 1 here does not matter).
    private static double[] FromMagnitude(double[] magnitude, int length)
    {
        // The real cepstrum: the inverse transform of log|H|, real and even.
        int size = magnitude.Length;
        var cepstrum = new Complex[size];
        for (int k = 0; k < size; k++)
        {
            cepstrum[k] = Math.Log(Math.Max(magnitude[k], MagnitudeFloor));
        }

        RadixTwoFft.Inverse(cepstrum);

        // Fold: the even cepstrum's negative quefrencies are added onto the positive ones, so that log|H| stays its
        // real part and the imaginary part becomes the matching minimum phase.
        cepstrum[0] = cepstrum[0].Real;
        for (int n = 1; n < size / 2; n++)
        {
            cepstrum[n] = 2 * cepstrum[n].Real;
        }

        cepstrum[size / 2] = cepstrum[size / 2].Real;
        Array.Clear(cepstrum, size / 2 + 1, size / 2 - 1);

        RadixTwoFft.Forward(cepstrum);
        for (int k = 0; k < size; k++)
        {
            cepstrum[k] = Complex.Exp(cepstrum[k]);
        }

        RadixTwoFft.Inverse(cepstrum);
        var taps = new double[length];
        for (int n = 0; n < length; n++)
        {
            taps[n] = cepstrum[n].Real;
        }

        return taps;
    }

    // The largest difference between |H| of the taps and the wanted magnitude, over the grid.
    private static double LargestMagnitudeError(double[] taps, double[] wanted)
    {
        var spectrum = new Complex[wanted.Length];
        for (int n = 0; n < taps.Length; n++)
        {
            spectrum[n] = taps[n];
        }

        RadixTwoFft.Forward(spectrum);
        double largest = 0;
        for (int k = 0; k < wanted.Length; k++)
        {
            largest = Math.Max(largest, Math.Abs(spectrum[k].Magnitude - wanted[k]));
        }

        return largest;
    }
}
