using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace V2V.Audio;

/// <summary>
/// The filter of an integer interpolation (M = 1: 24 -> 48, 16 -> 48 kHz) with 512-bit vectors. Outputs of one
/// phase read windows one input sample apart, so each phase is a dot product of its coefficients with a sliding
/// window: sixteen of its outputs in the lanes of a vector, through the register-blocked kernel of
/// <see cref="DecimatingKernel"/>; the phases are then interleaved. Serves phases of up to 144 taps.
/// </summary>
internal sealed class InterpolatingKernel
{
    private const int Lanes = DecimatingKernel.Lanes;
    private const int StreamTaps = DecimatingKernel.StreamTaps;
    private readonly int _interpolation;
    private readonly float[] _coefficients;
    private readonly float[] _window;
    private readonly float[] _results;

    public InterpolatingKernel(ReadOnlySpan<float> coefficients, int interpolation, int taps, int maxInput)
    {
        _interpolation = interpolation;
        _coefficients = new float[interpolation * StreamTaps];
        for (int p = 0; p < interpolation; p++)
        {
            coefficients.Slice(p * taps, taps).CopyTo(_coefficients.AsSpan(p * StreamTaps));
        }
        _window = new float[maxInput + StreamTaps + (9 * Lanes)];
        _results = new float[maxInput + (8 * Lanes)];
    }

    public static bool Fits(int taps) => DecimatingKernel.IsSupported && taps <= StreamTaps;

    /// <summary>
    /// Computes <paramref name="count"/> outputs starting at phase <paramref name="phase"/>: output o has phase
    /// (phase + o) mod L and reads buffer[start + (phase + o) / L ..] for taps samples.
    /// </summary>
    public void Run(ReadOnlySpan<float> buffer, int start, int filled, int phase, int count, Span<float> output)
    {
        int l = _interpolation;
        int windows = ((phase + count - 1) / l) + 1;
        int length = windows + StreamTaps + (8 * Lanes);
        int copy = Math.Min(length, filled - start);
        buffer.Slice(start, copy).CopyTo(_window);
        _window.AsSpan(copy, length - copy).Clear();

        ref float w = ref MemoryMarshal.GetArrayDataReference(_window);
        ref float y = ref MemoryMarshal.GetArrayDataReference(_results);
        for (int p = 0; p < l; p++)
        {
            int first = ((p - phase) % l + l) % l;
            if (first >= count)
            {
                continue;
            }
            int outputs = ((count - 1 - first) / l) + 1;
            int offset = (phase + first) / l;
            ref float c = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_coefficients), p * StreamTaps);
            for (int done = 0; done < outputs;)
            {
                int left = outputs - done;
                int vectors = left > 4 * Lanes ? 8 : left > Lanes ? 4 : 1;
                Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default, a6 = default, a7 = default;
                ref float x = ref Unsafe.Add(ref w, offset + done);
                ref float r = ref Unsafe.Add(ref y, done);
                if (vectors == 8)
                {
                    DecimatingKernel.Block8Stream(ref c, ref x, ref a0, ref a1, ref a2, ref a3, ref a4, ref a5, ref a6, ref a7);
                    a4.StoreUnsafe(ref r, 64);
                    a5.StoreUnsafe(ref r, 80);
                    a6.StoreUnsafe(ref r, 96);
                    a7.StoreUnsafe(ref r, 112);
                }
                else
                {
                    DecimatingKernel.SmallStream(ref c, ref x, vectors, ref a0, ref a1, ref a2, ref a3);
                }
                a0.StoreUnsafe(ref r, 0);
                if (vectors >= 4)
                {
                    a1.StoreUnsafe(ref r, 16);
                    a2.StoreUnsafe(ref r, 32);
                    a3.StoreUnsafe(ref r, 48);
                }
                done += vectors * Lanes;
            }
            for (int t = 0, o = first; t < outputs; t++, o += l)
            {
                output[o] = _results[t];
            }
        }
    }
}
