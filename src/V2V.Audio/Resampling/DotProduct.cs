using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace V2V.Audio;

/// <summary>The inner loop of the resampler: a SIMD dot product over lengths that are multiples of 16.</summary>
internal static class DotProduct
{
    /// <summary>Sum of <paramref name="a"/>[i] * <paramref name="b"/>[i]; both spans have a length that is a multiple of 16.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Compute(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        ref float ra = ref MemoryMarshal.GetReference(a);
        ref float rb = ref MemoryMarshal.GetReference(b);
        int n = a.Length;
        if (Vector512.IsHardwareAccelerated)
        {
            return Dot512(ref ra, ref rb, n);
        }

        if (Vector256.IsHardwareAccelerated)
        {
            return Dot256(ref ra, ref rb, n);
        }

        return Vector128.IsHardwareAccelerated ? Dot128(ref ra, ref rb, n) : DotScalar(a, b);
    }

    /// <summary>
    /// Four independent dot products of length <paramref name="n"/> (a multiple of 16) in one pass. One dot
    /// product is a single dependency chain bound by the latency of fused multiply-add; four interleaved
    /// chains keep the FMA units busy, which is most of the resampler's speed.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Compute4(
        ref float c0, ref float x0, ref float c1, ref float x1, ref float c2, ref float x2, ref float c3, ref float x3, int n)
    {
        nuint count = (nuint)n;
        if (Vector512.IsHardwareAccelerated)
        {
            Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default;
            for (nuint i = 0; i < count; i += 16)
            {
                a0 = Vector512.MultiplyAddEstimate(Vector512.LoadUnsafe(ref c0, i), Vector512.LoadUnsafe(ref x0, i), a0);
                a1 = Vector512.MultiplyAddEstimate(Vector512.LoadUnsafe(ref c1, i), Vector512.LoadUnsafe(ref x1, i), a1);
                a2 = Vector512.MultiplyAddEstimate(Vector512.LoadUnsafe(ref c2, i), Vector512.LoadUnsafe(ref x2, i), a2);
                a3 = Vector512.MultiplyAddEstimate(Vector512.LoadUnsafe(ref c3, i), Vector512.LoadUnsafe(ref x3, i), a3);
            }

            return Vector128.Create(Vector512.Sum(a0), Vector512.Sum(a1), Vector512.Sum(a2), Vector512.Sum(a3));
        }

        if (Vector256.IsHardwareAccelerated)
        {
            Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default;
            for (nuint i = 0; i < count; i += 8)
            {
                a0 = Vector256.MultiplyAddEstimate(Vector256.LoadUnsafe(ref c0, i), Vector256.LoadUnsafe(ref x0, i), a0);
                a1 = Vector256.MultiplyAddEstimate(Vector256.LoadUnsafe(ref c1, i), Vector256.LoadUnsafe(ref x1, i), a1);
                a2 = Vector256.MultiplyAddEstimate(Vector256.LoadUnsafe(ref c2, i), Vector256.LoadUnsafe(ref x2, i), a2);
                a3 = Vector256.MultiplyAddEstimate(Vector256.LoadUnsafe(ref c3, i), Vector256.LoadUnsafe(ref x3, i), a3);
            }

            return Vector128.Create(Vector256.Sum(a0), Vector256.Sum(a1), Vector256.Sum(a2), Vector256.Sum(a3));
        }

        return Vector128.Create(
            Compute(MemoryMarshal.CreateReadOnlySpan(ref c0, n), MemoryMarshal.CreateReadOnlySpan(ref x0, n)),
            Compute(MemoryMarshal.CreateReadOnlySpan(ref c1, n), MemoryMarshal.CreateReadOnlySpan(ref x1, n)),
            Compute(MemoryMarshal.CreateReadOnlySpan(ref c2, n), MemoryMarshal.CreateReadOnlySpan(ref x2, n)),
            Compute(MemoryMarshal.CreateReadOnlySpan(ref c3, n), MemoryMarshal.CreateReadOnlySpan(ref x3, n)));
    }

    /// <summary>
    /// Four dot products that share one coefficient vector <paramref name="c"/> (outputs of the same phase):
    /// five loads per four multiply-adds instead of eight. Each lane is computed exactly as in
    /// <see cref="Compute4"/>, so results are bit-identical whichever kernel an output goes through.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Compute4SharedCoefficients(ref float c, ref float x0, ref float x1, ref float x2, ref float x3, int n)
    {
        nuint count = (nuint)n;
        if (Vector512.IsHardwareAccelerated)
        {
            Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default;
            for (nuint i = 0; i < count; i += 16)
            {
                var coefficients = Vector512.LoadUnsafe(ref c, i);
                a0 = Vector512.MultiplyAddEstimate(coefficients, Vector512.LoadUnsafe(ref x0, i), a0);
                a1 = Vector512.MultiplyAddEstimate(coefficients, Vector512.LoadUnsafe(ref x1, i), a1);
                a2 = Vector512.MultiplyAddEstimate(coefficients, Vector512.LoadUnsafe(ref x2, i), a2);
                a3 = Vector512.MultiplyAddEstimate(coefficients, Vector512.LoadUnsafe(ref x3, i), a3);
            }

            return Vector128.Create(Vector512.Sum(a0), Vector512.Sum(a1), Vector512.Sum(a2), Vector512.Sum(a3));
        }

        if (Vector256.IsHardwareAccelerated)
        {
            Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default;
            for (nuint i = 0; i < count; i += 8)
            {
                var coefficients = Vector256.LoadUnsafe(ref c, i);
                a0 = Vector256.MultiplyAddEstimate(coefficients, Vector256.LoadUnsafe(ref x0, i), a0);
                a1 = Vector256.MultiplyAddEstimate(coefficients, Vector256.LoadUnsafe(ref x1, i), a1);
                a2 = Vector256.MultiplyAddEstimate(coefficients, Vector256.LoadUnsafe(ref x2, i), a2);
                a3 = Vector256.MultiplyAddEstimate(coefficients, Vector256.LoadUnsafe(ref x3, i), a3);
            }

            return Vector128.Create(Vector256.Sum(a0), Vector256.Sum(a1), Vector256.Sum(a2), Vector256.Sum(a3));
        }

        return Compute4(ref c, ref x0, ref c, ref x1, ref c, ref x2, ref c, ref x3, n);
    }

    private static float Dot512(ref float a, ref float b, int n)
    {
        // Two accumulators hide the latency of the fused multiply-add chain.
        var acc0 = Vector512<float>.Zero;
        var acc1 = Vector512<float>.Zero;
        nuint i = 0, count = (nuint)n;
        for (; i + 32 <= count; i += 32)
        {
            acc0 = Vector512.MultiplyAddEstimate(Vector512.LoadUnsafe(ref a, i), Vector512.LoadUnsafe(ref b, i), acc0);
            acc1 = Vector512.MultiplyAddEstimate(Vector512.LoadUnsafe(ref a, i + 16), Vector512.LoadUnsafe(ref b, i + 16), acc1);
        }

        if (i < count)
        {
            acc0 = Vector512.MultiplyAddEstimate(Vector512.LoadUnsafe(ref a, i), Vector512.LoadUnsafe(ref b, i), acc0);
        }

        return Vector512.Sum(acc0 + acc1);
    }

    private static float Dot256(ref float a, ref float b, int n)
    {
        var acc0 = Vector256<float>.Zero;
        var acc1 = Vector256<float>.Zero;
        nuint i = 0, count = (nuint)n;
        for (; i + 16 <= count; i += 16)
        {
            acc0 = Vector256.MultiplyAddEstimate(Vector256.LoadUnsafe(ref a, i), Vector256.LoadUnsafe(ref b, i), acc0);
            acc1 = Vector256.MultiplyAddEstimate(Vector256.LoadUnsafe(ref a, i + 8), Vector256.LoadUnsafe(ref b, i + 8), acc1);
        }

        return Vector256.Sum(acc0 + acc1);
    }

    private static float Dot128(ref float a, ref float b, int n)
    {
        var acc0 = Vector128<float>.Zero;
        var acc1 = Vector128<float>.Zero;
        nuint i = 0, count = (nuint)n;
        for (; i + 8 <= count; i += 8)
        {
            acc0 = Vector128.MultiplyAddEstimate(Vector128.LoadUnsafe(ref a, i), Vector128.LoadUnsafe(ref b, i), acc0);
            acc1 = Vector128.MultiplyAddEstimate(Vector128.LoadUnsafe(ref a, i + 4), Vector128.LoadUnsafe(ref b, i + 4), acc1);
        }

        return Vector128.Sum(acc0 + acc1);
    }

    private static float DotScalar(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        float sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }
}
