using System.Runtime.InteropServices;

namespace V2V.Audio;

/// <summary>
/// Views of little-endian pcm16 byte buffers as samples and back, without copying. Wire audio (TEN
/// <c>pcm_frame</c>, the Realtime API's base64 payloads, WAV data) is little-endian signed 16-bit.
/// </summary>
/// <remarks>
/// An odd byte count is an error here, never silently dropped: a frame of pcm16 always has an even size,
/// so an odd one means a framing bug upstream. Streams that split samples across reads should use
/// <see cref="Pcm16ByteCarry"/>, which holds the odd byte over to the next chunk.
/// </remarks>
public static class Pcm16
{
    /// <summary>Full scale of pcm16 as a float: dividing by it maps samples to [-1, 1).</summary>
    public const float FullScale = 32768f;

    /// <summary>The bytes as samples (same memory, no copy).</summary>
    /// <exception cref="ArgumentException"><paramref name="bytes"/> has an odd length.</exception>
    public static ReadOnlySpan<short> AsSamples(ReadOnlySpan<byte> bytes)
    {
        CheckEven(bytes.Length, nameof(bytes));
        CheckLittleEndian();
        return MemoryMarshal.Cast<byte, short>(bytes);
    }

    /// <summary>The bytes as writable samples (same memory, no copy).</summary>
    /// <exception cref="ArgumentException"><paramref name="bytes"/> has an odd length.</exception>
    public static Span<short> AsSamples(Span<byte> bytes)
    {
        CheckEven(bytes.Length, nameof(bytes));
        CheckLittleEndian();
        return MemoryMarshal.Cast<byte, short>(bytes);
    }

    /// <summary>The samples as little-endian bytes (same memory, no copy).</summary>
    public static ReadOnlySpan<byte> AsBytes(ReadOnlySpan<short> samples)
    {
        CheckLittleEndian();
        return MemoryMarshal.AsBytes(samples);
    }

    /// <summary>The samples as writable little-endian bytes (same memory, no copy).</summary>
    public static Span<byte> AsBytes(Span<short> samples)
    {
        CheckLittleEndian();
        return MemoryMarshal.AsBytes(samples);
    }

    /// <summary>Converts samples to floats in [-1, 1).</summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <paramref name="source"/>.</exception>
    public static void ToFloat(ReadOnlySpan<short> source, Span<float> destination)
    {
        CheckRoom(source.Length, destination.Length);
        for (int i = 0; i < source.Length; i++)
        {
            destination[i] = source[i] / FullScale;
        }
    }

    /// <summary>Converts floats in [-1, 1) to samples, rounding and clipping anything beyond full scale.</summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <paramref name="source"/>.</exception>
    public static void FromFloat(ReadOnlySpan<float> source, Span<short> destination)
    {
        CheckRoom(source.Length, destination.Length);
        for (int i = 0; i < source.Length; i++)
        {
            destination[i] = Pcm16Convert.Saturate(source[i] * FullScale);
        }
    }

    private static void CheckEven(int length, string parameterName)
    {
        if ((length & 1) != 0)
        {
            throw new ArgumentException(
                $"pcm16 needs 2 bytes per sample but {length} bytes were given; pass whole samples, or use Pcm16ByteCarry to keep the odd byte for the next chunk.",
                parameterName);
        }
    }

    private static void CheckRoom(int sourceLength, int destinationLength)
    {
        if (destinationLength < sourceLength)
        {
            throw new ArgumentException(
                $"The destination holds {destinationLength} samples but the source has {sourceLength}; give it at least as many.", "destination");
        }
    }

    // Spans over wire bytes are only samples on a little-endian CPU (x64, Arm64 as .NET runs them).
    private static void CheckLittleEndian()
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("Zero-copy pcm16 views need a little-endian CPU.");
        }
    }
}
