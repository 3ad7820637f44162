using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace V2V.Audio;

/// <summary>
/// The filter of an integer decimation (L = 1: 48 -> 24, 48 -> 16, 16 -> 8 kHz) with 512-bit vectors. Every
/// output uses the same coefficients, so sixteen consecutive outputs sit in the lanes of one vector and no
/// horizontal sum is needed: the input is split into its M phase streams, and tap k of sixteen outputs is one
/// contiguous load from stream k mod M, one broadcast coefficient, one fused multiply-add. Eight vectors (128
/// outputs) share each broadcast. Each output is summed over its taps in the same order whatever the block it
/// falls in, so framing never changes a sample.
/// </summary>
internal sealed class DecimatingKernel
{
    internal const int Lanes = 16;
    private readonly int _decimation;
    private readonly int _taps;
    private readonly int _stride;
    private readonly float[] _streams;
    private readonly float[] _results;

    // Taps of one stream padded to nine vectors: the register-blocked kernel serves streams of up to 144 taps.
    internal const int StreamTaps = 9 * Lanes;
    private readonly float[]? _streamCoefficients;

    public DecimatingKernel(ReadOnlySpan<float> coefficients, int decimation, int taps, int maxInput)
    {
        _decimation = decimation;
        _taps = taps;
        int maxOutputs = maxInput / decimation + 2;
        _stride = maxOutputs + StreamTaps + (taps + decimation - 1) / decimation + (9 * Lanes);
        _streams = new float[decimation * _stride];
        _results = new float[maxOutputs + 8 * Lanes];
        if ((taps + decimation - 1) / decimation <= StreamTaps)
        {
            _streamCoefficients = new float[decimation * StreamTaps];
            for (int k = 0; k < taps; k++)
            {
                _streamCoefficients[(k % decimation * StreamTaps) + (k / decimation)] = coefficients[k];
            }
        }
    }

    public static bool IsSupported => Vector512.IsHardwareAccelerated;

    /// <summary>
    /// Computes <paramref name="count"/> outputs; output n is the dot product of the (time-reversed)
    /// coefficients with buffer[start + n * M .. start + n * M + taps).
    /// </summary>
    public void Run(ReadOnlySpan<float> coefficients, ReadOnlySpan<float> buffer, int start, int filled, int count, Span<float> output)
    {
        int m = _decimation;
        int perStream = count + StreamTaps + ((_taps + m - 1) / m) + (8 * Lanes) + Lanes;
        int j0 = 0;
        if (m == 2 && Avx512F.IsSupported)
        {
            j0 = SplitPairs(buffer, start, filled, perStream);
        }
        for (int r = 0; r < m; r++)
        {
            var stream = _streams.AsSpan(r * _stride, perStream);
            int index = start + r + (j0 * m);
            for (int j = j0; j < perStream; j++, index += m)
            {
                // Past the buffered input only lanes of outputs beyond count read: zeros, dropped.
                stream[j] = index < filled ? buffer[index] : 0;
            }
        }

        ref float c = ref MemoryMarshal.GetReference(coefficients);
        ref float s = ref MemoryMarshal.GetArrayDataReference(_streams);
        ref float y = ref MemoryMarshal.GetArrayDataReference(_results);
        for (int done = 0; done < count;)
        {
            // Lanes past count are computed on zeros and dropped; eight vectors share each coefficient load.
            int left = count - done;
            int vectors = left > 4 * Lanes ? 8 : left > Lanes ? 4 : 1;
            if (_streamCoefficients is not null)
            {
                BlockRegisters(ref s, ref Unsafe.Add(ref y, done), done, vectors);
            }
            else
            {
                Block(ref c, ref s, ref Unsafe.Add(ref y, done), done, vectors);
            }
            done += vectors * Lanes;
        }
        _results.AsSpan(0, count).CopyTo(output);
    }

    // M = 2: even and odd samples apart, 32 at a time with two permutes; returns how many of each are done.
    private int SplitPairs(ReadOnlySpan<float> buffer, int start, int filled, int perStream)
    {
        var evenIndex = Vector512.Create(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
        var oddIndex = evenIndex + Vector512<int>.One;
        ref float source = ref MemoryMarshal.GetReference(buffer);
        ref float even = ref MemoryMarshal.GetArrayDataReference(_streams);
        ref float odd = ref Unsafe.Add(ref even, _stride);
        int j = 0;
        for (; j + Lanes <= perStream && start + (2 * j) + (2 * Lanes) <= filled; j += Lanes)
        {
            var low = Vector512.LoadUnsafe(ref source, (nuint)(start + (2 * j)));
            var high = Vector512.LoadUnsafe(ref source, (nuint)(start + (2 * j) + Lanes));
            Avx512F.PermuteVar16x32x2(low, evenIndex, high).StoreUnsafe(ref even, (nuint)j);
            Avx512F.PermuteVar16x32x2(low, oddIndex, high).StoreUnsafe(ref odd, (nuint)j);
        }
        return j;
    }

    // Each output sums its taps stream by stream, j = 0..15, then i = 0..8 (tap j + 16i of the stream), in every
    // block size, so the rounding of an output does not depend on the block it falls in.
    private void BlockRegisters(ref float s, ref float y, int first, int vectors)
    {
        Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default, a6 = default, a7 = default;
        ref float coefficients = ref MemoryMarshal.GetArrayDataReference(_streamCoefficients!);
        for (int r = 0; r < _decimation; r++)
        {
            ref float c = ref Unsafe.Add(ref coefficients, r * StreamTaps);
            ref float x = ref Unsafe.Add(ref s, (r * _stride) + first);
            if (vectors == 8)
            {
                Block8Stream(ref c, ref x, ref a0, ref a1, ref a2, ref a3, ref a4, ref a5, ref a6, ref a7);
                continue;
            }
            SmallStream(ref c, ref x, vectors, ref a0, ref a1, ref a2, ref a3);
        }
        a0.StoreUnsafe(ref y, 0);
        if (vectors >= 4)
        {
            a1.StoreUnsafe(ref y, 16);
            a2.StoreUnsafe(ref y, 32);
            a3.StoreUnsafe(ref y, 48);
        }
        if (vectors == 8)
        {
            a4.StoreUnsafe(ref y, 64);
            a5.StoreUnsafe(ref y, 80);
            a6.StoreUnsafe(ref y, 96);
            a7.StoreUnsafe(ref y, 112);
        }
    }

    /// <summary>One to four vectors of one stream's taps, summed in the order of <see cref="Block8Stream"/>.</summary>
    internal static void SmallStream(ref float c, ref float x, int vectors, ref Vector512<float> a0, ref Vector512<float> a1, ref Vector512<float> a2, ref Vector512<float> a3)
    {
        for (int v = 0; v < vectors; v++)
        {
            ref float xv = ref Unsafe.Add(ref x, v * Lanes);
            var sum = v switch { 0 => a0, 1 => a1, 2 => a2, _ => a3 };
            for (int j = 0; j < Lanes; j++)
            {
                for (int i = 0; i < 9; i++)
                {
                    sum = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref c, j + (16 * i))), Vector512.LoadUnsafe(ref xv, (nuint)(j + (16 * i))), sum);
                }
            }
            switch (v)
            {
                case 0: a0 = sum; break;
                case 1: a1 = sum; break;
                case 2: a2 = sum; break;
                default: a3 = sum; break;
            }
        }
    }

    // Eight vectors (128 outputs) of one stream's taps: for each j < 16, the nine coefficients of taps j + 16i stay in
    // registers, and the seventeen windows stream[first + j + 16q] are loaded once each: vector v at tap j + 16i
    // reads window q = v + i. 26 loads for 72 multiply-adds, where one load per multiply-add was the limit.
    internal static void Block8Stream(ref float c, ref float x, ref Vector512<float> a0, ref Vector512<float> a1, ref Vector512<float> a2, ref Vector512<float> a3, ref Vector512<float> a4, ref Vector512<float> a5, ref Vector512<float> a6, ref Vector512<float> a7)
    {
        Vector512<float> s0 = a0, s1 = a1, s2 = a2, s3 = a3, s4 = a4, s5 = a5, s6 = a6, s7 = a7;
        for (int j = 0; j < Lanes; j++)
        {
            var c0 = Vector512.Create(Unsafe.Add(ref c, j + 0));
            var c1 = Vector512.Create(Unsafe.Add(ref c, j + 16));
            var c2 = Vector512.Create(Unsafe.Add(ref c, j + 32));
            var c3 = Vector512.Create(Unsafe.Add(ref c, j + 48));
            var c4 = Vector512.Create(Unsafe.Add(ref c, j + 64));
            var c5 = Vector512.Create(Unsafe.Add(ref c, j + 80));
            var c6 = Vector512.Create(Unsafe.Add(ref c, j + 96));
            var c7 = Vector512.Create(Unsafe.Add(ref c, j + 112));
            var c8 = Vector512.Create(Unsafe.Add(ref c, j + 128));
            Vector512<float> w;
            w = Vector512.LoadUnsafe(ref x, (nuint)(j + 0));
            s0 = Vector512.FusedMultiplyAdd(c0, w, s0);
            w = Vector512.LoadUnsafe(ref x, (nuint)(j + 16));
            s0 = Vector512.FusedMultiplyAdd(c1, w, s0);
            s1 = Vector512.FusedMultiplyAdd(c0, w, s1);
            w = Vector512.LoadUnsafe(ref x, (nuint)(j + 32));
            s0 = Vector512.FusedMultiplyAdd(c2, w, s0);
            s1 = Vector512.FusedMultiplyAdd(c1, w, s1);
            s2 = Vector512.FusedMultiplyAdd(c0, w, s2);
            w = Vector512.LoadUnsafe(ref x, (nuint)(j + 48));
            s0 = Vector512.FusedMultiplyAdd(c3, w, s0);
            s1 = Vector512.FusedMultiplyAdd(c2, w, s1);
            s2 = Vector512.FusedMultiplyAdd(c1, w, s2);
            s3 = Vector512.FusedMultiplyAdd(c0, w, s3);
            w = Vector512.LoadUnsafe(ref x, (nuint)(j + 64));
            s0 = Vector512.FusedMultiplyAdd(c4, w, s0);
            s1 = Vector512.FusedMultiplyAdd(c3, w, s1);
            s2 = Vector512.FusedMultiplyAdd(c2, w, s2);
            s3 = Vector512.FusedMultiplyAdd(c1, w, s3);
            s4 = Vector512.FusedMultiplyAdd(c0, w, s4);
            w = Vector512.LoadUnsafe(ref x, (nuint)(j + 80));
            s0 = Vector512.FusedMultiplyAdd(c5, w, s0);
            s1 = Vector512.FusedMultiplyAdd(c4, w, s1);
            s2 = Vector512.FusedMultiplyAdd(c3, w, s2);
            s3 = Vector512.FusedMultiplyAdd(c2, w, s3);
            s4 = Vector512.FusedMultiplyAdd(c1, w, s4);
            s5 = Vector512.FusedMultiplyAdd(c0, w, s5);
            w = Vector512.LoadUnsafe(ref x, (nuint)(j + 96));
            s0 = Vector512.FusedMultiplyAdd(c6, w, s0);
            s1 = Vector512.FusedMultiplyAdd(c5, w, s1);
            s2 = Vector512.FusedMultiplyAdd(c4, w, s2);
            s3 = Vector512.FusedMultiplyAdd(c3, w, s3);
            s4 = Vector512.FusedMultiplyAdd(c2, w, s4);
            s5 = Vector512.FusedMultiplyAdd(c1, w, s5);
            s6 = Vector512.FusedMultiplyAdd(c0, w, s6);
            w = Vector512.LoadUnsafe(ref x, (nuint)(j + 112));
            s0 = Vector512.FusedMultiplyAdd(c7, w, s0);
            s1 = Vector512.FusedMultiplyAdd(c6, w, s1);
            s2 = Vector512.FusedMultiplyAdd(c5, w, s2);
            s3 = Vector512.FusedMultiplyAdd(c4, w, s3);
            s4 = Vector512.FusedMultiplyAdd(c3, w, s4);
            s5 = Vector512.FusedMultiplyAdd(c2, w, s5);
            s6 = Vector512.FusedMultiplyAdd(c1, w, s6);
            s7 = Vector512.FusedMultiplyAdd(c0, w, s7);
            w = Vector512.LoadUnsafe(ref x, (nuint)(j + 128));
            s0 = Vector512.FusedMultiplyAdd(c8, w, s0);
            s1 = Vector512.FusedMultiplyAdd(c7, w, s1);
            s2 = Vector512.FusedMultiplyAdd(c6, w, s2);
            s3 = Vector512.FusedMultiplyAdd(c5, w, s3);
            s4 = Vector512.FusedMultiplyAdd(c4, w, s4);
            s5 = Vector512.FusedMultiplyAdd(c3, w, s5);
            s6 = Vector512.FusedMultiplyAdd(c2, w, s6);
            s7 = Vector512.FusedMultiplyAdd(c1, w, s7);
            w = Vector512.LoadUnsafe(ref x, (nuint)(j + 144));
            s1 = Vector512.FusedMultiplyAdd(c8, w, s1);
            s2 = Vector512.FusedMultiplyAdd(c7, w, s2);
            s3 = Vector512.FusedMultiplyAdd(c6, w, s3);
            s4 = Vector512.FusedMultiplyAdd(c5, w, s4);
            s5 = Vector512.FusedMultiplyAdd(c4, w, s5);
            s6 = Vector512.FusedMultiplyAdd(c3, w, s6);
            s7 = Vector512.FusedMultiplyAdd(c2, w, s7);
            w = Vector512.LoadUnsafe(ref x, (nuint)(j + 160));
            s2 = Vector512.FusedMultiplyAdd(c8, w, s2);
            s3 = Vector512.FusedMultiplyAdd(c7, w, s3);
            s4 = Vector512.FusedMultiplyAdd(c6, w, s4);
            s5 = Vector512.FusedMultiplyAdd(c5, w, s5);
            s6 = Vector512.FusedMultiplyAdd(c4, w, s6);
            s7 = Vector512.FusedMultiplyAdd(c3, w, s7);
            w = Vector512.LoadUnsafe(ref x, (nuint)(j + 176));
            s3 = Vector512.FusedMultiplyAdd(c8, w, s3);
            s4 = Vector512.FusedMultiplyAdd(c7, w, s4);
            s5 = Vector512.FusedMultiplyAdd(c6, w, s5);
            s6 = Vector512.FusedMultiplyAdd(c5, w, s6);
            s7 = Vector512.FusedMultiplyAdd(c4, w, s7);
            w = Vector512.LoadUnsafe(ref x, (nuint)(j + 192));
            s4 = Vector512.FusedMultiplyAdd(c8, w, s4);
            s5 = Vector512.FusedMultiplyAdd(c7, w, s5);
            s6 = Vector512.FusedMultiplyAdd(c6, w, s6);
            s7 = Vector512.FusedMultiplyAdd(c5, w, s7);
            w = Vector512.LoadUnsafe(ref x, (nuint)(j + 208));
            s5 = Vector512.FusedMultiplyAdd(c8, w, s5);
            s6 = Vector512.FusedMultiplyAdd(c7, w, s6);
            s7 = Vector512.FusedMultiplyAdd(c6, w, s7);
            w = Vector512.LoadUnsafe(ref x, (nuint)(j + 224));
            s6 = Vector512.FusedMultiplyAdd(c8, w, s6);
            s7 = Vector512.FusedMultiplyAdd(c7, w, s7);
            w = Vector512.LoadUnsafe(ref x, (nuint)(j + 240));
            s7 = Vector512.FusedMultiplyAdd(c8, w, s7);
            w = Vector512.LoadUnsafe(ref x, (nuint)(j + 256));
        }
        a0 = s0; a1 = s1; a2 = s2; a3 = s3; a4 = s4; a5 = s5; a6 = s6; a7 = s7;
    }

    // Taps in the order of the streams (k = r, r + M, r + 2M, ... for r = 0 .. M-1): tap k of output n reads
    // stream r at n + k / M, so within a stream the reads walk forward one sample per tap.
    private void Block(ref float c, ref float s, ref float y, int first, int vectors)
    {
        Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default, a6 = default, a7 = default;
        int m = _decimation;
        for (int r = 0; r < m; r++)
        {
            ref float x = ref Unsafe.Add(ref s, (r * _stride) + first);
            if (vectors == 8)
            {
                for (int k = r; k < _taps; k += m)
                {
                    var coefficient = Vector512.Create(Unsafe.Add(ref c, k));
                    a0 = Vector512.FusedMultiplyAdd(coefficient, Vector512.LoadUnsafe(ref x, 0), a0);
                    a1 = Vector512.FusedMultiplyAdd(coefficient, Vector512.LoadUnsafe(ref x, 16), a1);
                    a2 = Vector512.FusedMultiplyAdd(coefficient, Vector512.LoadUnsafe(ref x, 32), a2);
                    a3 = Vector512.FusedMultiplyAdd(coefficient, Vector512.LoadUnsafe(ref x, 48), a3);
                    a4 = Vector512.FusedMultiplyAdd(coefficient, Vector512.LoadUnsafe(ref x, 64), a4);
                    a5 = Vector512.FusedMultiplyAdd(coefficient, Vector512.LoadUnsafe(ref x, 80), a5);
                    a6 = Vector512.FusedMultiplyAdd(coefficient, Vector512.LoadUnsafe(ref x, 96), a6);
                    a7 = Vector512.FusedMultiplyAdd(coefficient, Vector512.LoadUnsafe(ref x, 112), a7);
                    x = ref Unsafe.Add(ref x, 1);
                }
            }
            else if (vectors == 4)
            {
                for (int k = r; k < _taps; k += m)
                {
                    var coefficient = Vector512.Create(Unsafe.Add(ref c, k));
                    a0 = Vector512.FusedMultiplyAdd(coefficient, Vector512.LoadUnsafe(ref x, 0), a0);
                    a1 = Vector512.FusedMultiplyAdd(coefficient, Vector512.LoadUnsafe(ref x, 16), a1);
                    a2 = Vector512.FusedMultiplyAdd(coefficient, Vector512.LoadUnsafe(ref x, 32), a2);
                    a3 = Vector512.FusedMultiplyAdd(coefficient, Vector512.LoadUnsafe(ref x, 48), a3);
                    x = ref Unsafe.Add(ref x, 1);
                }
            }
            else
            {
                for (int k = r; k < _taps; k += m)
                {
                    a0 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref c, k)), Vector512.LoadUnsafe(ref x), a0);
                    x = ref Unsafe.Add(ref x, 1);
                }
            }
        }
        a0.StoreUnsafe(ref y, 0);
        if (vectors >= 4)
        {
            a1.StoreUnsafe(ref y, 16);
            a2.StoreUnsafe(ref y, 32);
            a3.StoreUnsafe(ref y, 48);
        }
        if (vectors == 8)
        {
            a4.StoreUnsafe(ref y, 64);
            a5.StoreUnsafe(ref y, 80);
            a6.StoreUnsafe(ref y, 96);
            a7.StoreUnsafe(ref y, 112);
        }
    }
}
