using System.Numerics;

namespace V2V.Audio;

/// <summary>
/// A plain in-place radix-2 complex FFT in double precision, for designing filters (once per rate pair, so it
/// favours clarity over speed and allocates freely). Not used on the audio path.
/// </summary>
internal static class RadixTwoFft
{
    /// <summary>The forward transform X[k] = sum x[n] e^(-2 pi i k n / N), in place; the length must be a power of two.</summary>
    public static void Forward(Complex[] data) => Transform(data, -1);

    /// <summary>The inverse transform x[n] = (1/N) sum X[k] e^(2 pi i k n / N), in place.</summary>
    public static void Inverse(Complex[] data)
    {
        Transform(data, +1);
        double scale = 1.0 / data.Length;
        for (int i = 0; i < data.Length; i++)
        {
            data[i] *= scale;
        }
    }

    // Iterative Cooley-Tukey: bit-reversal permutation, then butterflies of doubling span. The twiddles of each
    // span are computed directly (not by repeated multiplication) so rounding does not build up over 2^19 points.
    private static void Transform(Complex[] data, int sign)
    {
        int n = data.Length;
        if (n == 0 || (n & (n - 1)) != 0)
        {
            throw new ArgumentException($"The FFT length must be a power of two, not {n}.", nameof(data));
        }

        for (int i = 1, j = 0; i < n; i++)
        {
            int bit = n >> 1;
            for (; (j & bit) != 0; bit >>= 1)
            {
                j ^= bit;
            }

            j ^= bit;
            if (i < j)
            {
                (data[i], data[j]) = (data[j], data[i]);
            }
        }

        var twiddles = new Complex[n / 2];
        for (int k = 0; k < n / 2; k++)
        {
            twiddles[k] = Complex.FromPolarCoordinates(1, sign * 2 * Math.PI * k / n);
        }

        for (int span = 2; span <= n; span <<= 1)
        {
            int half = span / 2, stride = n / span;
            for (int start = 0; start < n; start += span)
            {
                for (int k = 0; k < half; k++)
                {
                    Complex even = data[start + k], odd = data[start + k + half] * twiddles[k * stride];
                    data[start + k] = even + odd;
                    data[start + k + half] = even - odd;
                }
            }
        }
    }
}
