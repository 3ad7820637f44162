using System.Numerics;

namespace V2V.Audio;

/// <summary>The level of pcm16 audio: its energy, exactly, with the CPU's vector unit.</summary>
/// <remarks>
/// Every frame of the user's voice is measured (is it quiet?), hundreds of sessions times a hundred frames a second:
/// a sample at a time it was one of the input path's larger costs under load. Exact in integers: a square is at most
/// 2^30, which fits an int lane; the squares are widened to long before they are added.
/// </remarks>
public static class Pcm16Level
{
    /// <summary>The sum of the squares of the samples.</summary>
    public static long SumOfSquares(ReadOnlySpan<short> samples)
    {
        long sum = 0;
        var i = 0;
        if (Vector.IsHardwareAccelerated && samples.Length >= Vector<short>.Count)
        {
            var lanes = Vector<long>.Zero;
            for (; i <= samples.Length - Vector<short>.Count; i += Vector<short>.Count)
            {
                Vector.Widen(new Vector<short>(samples[i..]), out Vector<int> low, out Vector<int> high);
                Vector.Widen(low * low, out Vector<long> a, out Vector<long> b);
                Vector.Widen(high * high, out Vector<long> c, out Vector<long> d);
                lanes += a + b + c + d;
            }
            sum = Vector.Sum(lanes);
        }
        for (; i < samples.Length; i++)
        {
            sum += samples[i] * samples[i];
        }
        return sum;
    }

    /// <summary>The RMS level in dB below full scale (-120 for silence or no samples).</summary>
    public static double Dbfs(ReadOnlySpan<short> samples)
    {
        var rms = Math.Sqrt((double)SumOfSquares(samples) / Math.Max(1, samples.Length)) / Pcm16.FullScale;
        return rms <= 0 ? -120 : 20 * Math.Log10(rms);
    }
}
