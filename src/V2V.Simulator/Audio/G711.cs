namespace V2V.Simulator.Audio;

/// <summary>ITU-T G.711 u-law and A-law, sample by sample (the classic segment algorithms).</summary>
internal static class G711
{
    private const int UlawBias = 0x84;
    private const int UlawClip = 32635;

    public static short DecodeUlaw(byte value)
    {
        var u = ~value & 0xFF;
        var t = ((u & 0x0F) << 3) + UlawBias;
        t <<= (u & 0x70) >> 4;
        return (short)((u & 0x80) != 0 ? UlawBias - t : t - UlawBias);
    }

    public static byte EncodeUlaw(short sample)
    {
        var s = (int)sample;
        var sign = (s >> 8) & 0x80;
        if (sign != 0)
        {
            s = -s;
        }

        s = Math.Min(s, UlawClip) + UlawBias;
        var exponent = 7;
        for (var mask = 0x4000; (s & mask) == 0 && exponent > 0; mask >>= 1)
        {
            exponent--;
        }

        var mantissa = (s >> (exponent + 3)) & 0x0F;
        return (byte)~(sign | (exponent << 4) | mantissa);
    }

    public static short DecodeAlaw(byte value)
    {
        var a = value ^ 0x55;
        var t = (a & 0x0F) << 4;
        var segment = (a & 0x70) >> 4;
        t = segment switch
        {
            0 => t + 8,
            1 => t + 0x108,
            _ => (t + 0x108) << (segment - 1),
        };
        return (short)((a & 0x80) != 0 ? t : -t);
    }

    public static byte EncodeAlaw(short sample)
    {
        var s = (int)sample;
        var mask = 0xD5;
        if (s < 0)
        {
            mask = 0x55;
            s = -s - 1;
        }

        s = Math.Min(s, 32767);
        int compressed;
        if (s < 256)
        {
            compressed = s >> 4;
        }
        else
        {
            var exponent = 7;
            for (var bit = 0x4000; (s & bit) == 0 && exponent > 1; bit >>= 1)
            {
                exponent--;
            }

            compressed = (exponent << 4) | ((s >> (exponent + 3)) & 0x0F);
        }

        return (byte)(compressed ^ mask);
    }
}
