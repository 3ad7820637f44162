namespace V2V.Audio;

/// <summary>
/// The table lookups shared by <see cref="MuLaw"/> and <see cref="ALaw"/>: a code per 2^shift pcm16 values one
/// way, a pcm16 value per code the other; the two laws differ only in their tables and shift.
/// </summary>
internal static class G711Tables
{
    public static void Encode(ReadOnlySpan<short> samples, Span<byte> codes, byte[] encodeTable, int shift)
    {
        Room(samples.Length, codes.Length, nameof(codes));
        for (int i = 0; i < samples.Length; i++)
        {
            codes[i] = encodeTable[(ushort)samples[i] >> shift];
        }
    }

    public static void Decode(ReadOnlySpan<byte> codes, Span<short> samples, short[] decodeTable)
    {
        Room(codes.Length, samples.Length, nameof(samples));
        for (int i = 0; i < codes.Length; i++)
        {
            samples[i] = decodeTable[codes[i]];
        }
    }

    private static void Room(int sourceLength, int destinationLength, string parameterName)
    {
        if (destinationLength < sourceLength)
        {
            throw new ArgumentException(
                $"{parameterName} holds {destinationLength} elements but {sourceLength} are converted (G.711 is one byte per sample); give it at least as many.",
                parameterName);
        }
    }
}
