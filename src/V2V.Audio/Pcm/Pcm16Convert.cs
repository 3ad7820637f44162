using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace V2V.Audio;

/// <summary>pcm16 to float and back at pcm16 scale (32767 stays 32767.0): the resampler's edges, vectorized.</summary>
internal static class Pcm16Convert
{
    /// <summary>Widens samples to floats, unscaled.</summary>
    public static void ToFloat(ReadOnlySpan<short> source, Span<float> destination)
    {
        ref short src = ref MemoryMarshal.GetReference(source);
        ref float dst = ref MemoryMarshal.GetReference(destination[..source.Length]);
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i + Vector256<short>.Count <= source.Length; i += Vector256<short>.Count)
            {
                var (lower, upper) = Vector256.Widen(Vector256.LoadUnsafe(ref src, (nuint)i));
                Vector256.ConvertToSingle(lower).StoreUnsafe(ref dst, (nuint)i);
                Vector256.ConvertToSingle(upper).StoreUnsafe(ref dst, (nuint)(i + Vector256<int>.Count));
            }
        }

        for (; i < source.Length; i++)
        {
            Unsafe.Add(ref dst, i) = Unsafe.Add(ref src, i);
        }
    }

    /// <summary>Rounds (half to even) and saturates floats at pcm16 scale into samples.</summary>
    public static void FromFloat(ReadOnlySpan<float> source, Span<short> destination)
    {
        ref float src = ref MemoryMarshal.GetReference(source);
        ref short dst = ref MemoryMarshal.GetReference(destination[..source.Length]);
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var max = Vector256.Create((float)short.MaxValue);
            var min = Vector256.Create((float)short.MinValue);
            for (; i + Vector256<short>.Count <= source.Length; i += Vector256<short>.Count)
            {
                // Clamping before the conversion is what makes overshoot clip instead of wrap.
                var lower = Vector256.Min(Vector256.Max(Vector256.Round(Vector256.LoadUnsafe(ref src, (nuint)i)), min), max);
                var upper = Vector256.Min(Vector256.Max(Vector256.Round(Vector256.LoadUnsafe(ref src, (nuint)(i + 8))), min), max);
                Vector256.Narrow(Vector256.ConvertToInt32(lower), Vector256.ConvertToInt32(upper)).StoreUnsafe(ref dst, (nuint)i);
            }
        }

        for (; i < source.Length; i++)
        {
            Unsafe.Add(ref dst, i) = Saturate(Unsafe.Add(ref src, i));
        }
    }

    /// <summary>Rounds to the nearest integer (half to even) and clamps, so overshoot clips instead of wrapping.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static short Saturate(float value)
    {
        float rounded = MathF.Round(value);
        return rounded >= short.MaxValue ? short.MaxValue : rounded <= short.MinValue ? short.MinValue : (short)rounded;
    }
}
