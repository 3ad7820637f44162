using System.Runtime.CompilerServices;

namespace V2V.Audio;

/// <summary>pcm16 to float and back at pcm16 scale (32767 stays 32767.0): the resampler's edges.</summary>
internal static class Pcm16Convert
{
    public static void ToFloat(ReadOnlySpan<short> source, Span<float> destination)
    {
        for (int i = 0; i < source.Length; i++)
        {
            destination[i] = source[i];
        }
    }

    /// <summary>Rounds to the nearest integer and clamps, so overshoot near full scale clips instead of wrapping.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static short Saturate(float value)
    {
        float rounded = MathF.Round(value);
        return rounded >= short.MaxValue ? short.MaxValue : rounded <= short.MinValue ? short.MinValue : (short)rounded;
    }
}
