namespace V2V.Audio;

/// <summary>
/// G.711 mu-law (North America, Japan): 8-bit logarithmic telephone samples to and from pcm16, by table.
/// Bit-exact with the ITU-T G.191 reference (g711.c): 14-bit magnitude, bias 33, inverted code words.
/// </summary>
public static class MuLaw
{
    private const int Bias = 0x84;

    // 256 decoded values, and one code per 4 pcm16 values: mu-law only looks at the top 14 bits.
    private static readonly short[] DecodeTable = BuildDecodeTable();
    private static readonly byte[] EncodeTable = BuildEncodeTable();

    /// <summary>The mu-law code of one pcm16 sample.</summary>
    public static byte Encode(short sample) => EncodeTable[(ushort)sample >> 2];

    /// <summary>The pcm16 value of one mu-law code (range -32124..32124).</summary>
    public static short Decode(byte code) => DecodeTable[code];

    /// <summary>Encodes <paramref name="samples"/> into <paramref name="codes"/> (one byte per sample).</summary>
    /// <exception cref="ArgumentException"><paramref name="codes"/> is shorter than <paramref name="samples"/>.</exception>
    public static void Encode(ReadOnlySpan<short> samples, Span<byte> codes) => G711Tables.Encode(samples, codes, EncodeTable, 2);

    /// <summary>Decodes <paramref name="codes"/> into <paramref name="samples"/> (one sample per byte).</summary>
    /// <exception cref="ArgumentException"><paramref name="samples"/> is shorter than <paramref name="codes"/>.</exception>
    public static void Decode(ReadOnlySpan<byte> codes, Span<short> samples) => G711Tables.Decode(codes, samples, DecodeTable);

    /// <summary>The reference encoder (G.191 ulaw_compress), used once to fill the table.</summary>
    internal static byte EncodeByFormula(short sample)
    {
        // Negative samples use the ones' complement, so -1 is "negative zero" (0x7F) as in the ITU code.
        int magnitude = (sample < 0 ? ~sample >> 2 : sample >> 2) + 33;
        magnitude = Math.Min(magnitude, 0x1FFF);
        int segment = 1;
        for (int i = magnitude >> 6; i != 0; i >>= 1)
        {
            segment++;
        }

        int highNibble = 8 - segment;
        int lowNibble = 0x0F - ((magnitude >> segment) & 0x0F);
        int code = (highNibble << 4) | lowNibble;
        return (byte)(sample >= 0 ? code | 0x80 : code);
    }

    private static short DecodeByFormula(byte code)
    {
        int inverted = ~code;
        int t = ((inverted & 0x0F) << 3) + Bias;
        t <<= (inverted & 0x70) >> 4;
        return (short)((inverted & 0x80) != 0 ? Bias - t : t - Bias);
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
        var table = new byte[1 << 14];
        for (int index = 0; index < table.Length; index++)
        {
            table[index] = EncodeByFormula((short)(index << 2));
        }

        return table;
    }
}
