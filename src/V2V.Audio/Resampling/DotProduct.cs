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
