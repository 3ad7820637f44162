using System.Numerics;

namespace V2V.Audio;

/// <summary>The group delay of an FIR filter: how long the envelope of a narrow band around one frequency lags.</summary>
internal static class GroupDelay
{
    /// <summary>
    /// The group delay of <paramref name="taps"/> at <paramref name="frequency"/> (cycles per sample), in samples:
    /// -d(phase)/d(omega) = Re(sum n h[n] e^(-i omega n) / sum h[n] e^(-i omega n)), exact, with no numerical
    /// differentiation. A symmetric filter of N taps gives (N - 1) / 2 at every frequency.
    /// </summary>
    public static double At(ReadOnlySpan<double> taps, double frequency)
    {
        Complex response = 0, rampResponse = 0;
        for (int n = 0; n < taps.Length; n++)
        {
            var term = taps[n] * Complex.FromPolarCoordinates(1, -2 * Math.PI * frequency * n);
            response += term;
            rampResponse += n * term;
        }

        return (rampResponse / response).Real;
    }
}
