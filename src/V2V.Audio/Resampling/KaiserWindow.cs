namespace V2V.Audio;

/// <summary>
/// Kaiser window design formulas (Kaiser 1974; Oppenheim and Schafer, 3rd ed., 7.6.1): they turn a stopband
/// attenuation and a transition width into a window shape and a filter length with no iteration.
/// </summary>
internal static class KaiserWindow
{
    /// <summary>The window's shape parameter beta for a wanted stopband attenuation in dB.</summary>
    public static double BetaForAttenuation(double attenuationDb) => attenuationDb switch
    {
        > 50 => 0.1102 * (attenuationDb - 8.7),
        >= 21 => 0.5842 * Math.Pow(attenuationDb - 21, 0.4) + 0.07886 * (attenuationDb - 21),
        _ => 0,
    };

    /// <summary>
    /// The number of taps a Kaiser-windowed sinc needs for <paramref name="attenuationDb"/> over a transition
    /// band <paramref name="transitionWidth"/> wide, in cycles per sample of the filter's own rate.
    /// </summary>
    public static int LengthFor(double attenuationDb, double transitionWidth)
        => (int)Math.Ceiling((attenuationDb - 7.95) / (2.285 * 2 * Math.PI * transitionWidth)) + 1;

    /// <summary>The window value at tap <paramref name="n"/> of <paramref name="length"/>.</summary>
    public static double At(int n, int length, double beta)
    {
        double r = 2.0 * n / (length - 1) - 1.0;
        return BesselI0(beta * Math.Sqrt(Math.Max(0, 1 - r * r))) / BesselI0(beta);
    }

    /// <summary>The zeroth-order modified Bessel function of the first kind, by its power series.</summary>
    internal static double BesselI0(double x)
    {
        // The terms (x/2)^2k / (k!)^2 shrink fast once k exceeds x/2; 1e-17 relative is below double precision.
        double sum = 1, term = 1, halfXSquared = x * x / 4;
        for (int k = 1; k < 500; k++)
        {
            term *= halfXSquared / ((double)k * k);
            sum += term;
            if (term < sum * 1e-17)
            {
                break;
            }
        }

        return sum;
    }
}
