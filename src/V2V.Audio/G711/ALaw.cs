namespace V2V.Audio;

/// <summary>
/// G.711 A-law (Europe, most of the world): 8-bit logarithmic telephone samples to and from pcm16, by table.
/// Bit-exact with the ITU-T G.191 reference (g711.c): 13-bit magnitude, even bits inverted (XOR 0x55).
/// </summary>
public static class ALaw
{
    // 256 decoded values, and one code per 8 pcm16 values: A-law only looks at the top 13 bits.
    private static readonly short[] DecodeTable = BuildDecodeTable();
    private static readonly byte[] EncodeTable = BuildEncodeTable();

    /// <summary>The A-law code of one pcm16 sample.</summary>
    public static byte Encode(short sample) => EncodeTable[(ushort)sample >> 3];

    /// <summary>The pcm16 value of one A-law code (range -32256..32256).</summary>
    public static short Decode(byte code) => DecodeTable[code];

    /// <summary>Encodes <paramref name="samples"/> into <paramref name="codes"/> (one byte per sample).</summary>
    /// <exception cref="ArgumentException"><paramref name="codes"/> is shorter than <paramref name="samples"/>.</exception>
    public static void Encode(ReadOnlySpan<short> samples, Span<byte> codes) => G711Tables.Encode(samples, codes, EncodeTable, 3);

    /// <summary>Decodes <paramref name="codes"/> into <paramref name="samples"/> (one sample per byte).</summary>
    /// <exception cref="ArgumentException"><paramref name="samples"/> is shorter than <paramref name="codes"/>.</exception>
    public static void Decode(ReadOnlySpan<byte> codes, Span<short> samples) => G711Tables.Decode(codes, samples, DecodeTable);

    /// <summary>The reference encoder (equivalent to G.191 alaw_compress), used once to fill the table.</summary>
    internal static byte EncodeByFormula(short sample)
    {
        int value = sample >> 3;
        int mask;
        if (value >= 0)
        {
            mask = 0xD5;
        }
        else
        {
            mask = 0x55;
            value = -value - 1;
        }

        int segment = 0;
        for (int end = 0x1F; segment < 8 && value > end; segment++, end = (end << 1) | 1)
        {
        }

        if (segment >= 8)
        {
            return (byte)(0x7F ^ mask);
        }

        int code = segment << 4;
        code |= segment < 2 ? (value >> 1) & 0x0F : (value >> segment) & 0x0F;
        return (byte)(code ^ mask);
    }

    private static short DecodeByFormula(byte code)
    {
        int value = code ^ 0x55;
        int t = (value & 0x0F) << 4;
        int segment = (value & 0x70) >> 4;
        t = segment switch
        {
            0 => t + 8,
            1 => t + 0x108,
            _ => (t + 0x108) << (segment - 1),
        };
        return (short)((value & 0x80) != 0 ? t : -t);
    }

    private static short[] BuildDecodeTable()
    {
        var table = new short[256];
        for (int code = 0; code < 256; code++)
        {
            table[code] = DecodeByFormula((byte)code);
        }

        return table;
    }

    private static byte[] BuildEncodeTable()
    {
        var table = new byte[1 << 13];
        for (int index = 0; index < table.Length; index++)
        {
            table[index] = EncodeByFormula((short)(index << 3));
        }

        return table;
    }
}
