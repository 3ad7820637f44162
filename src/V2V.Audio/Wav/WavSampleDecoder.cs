using System.Buffers.Binary;

namespace V2V.Audio;

/// <summary>Converts the raw bytes of a WAV data chunk to pcm16, whatever the stored encoding.</summary>
internal static class WavSampleDecoder
{
    /// <summary>Decodes whole samples of <paramref name="data"/> into <paramref name="samples"/>; returns how many.</summary>
    public static int Decode(WavFormat format, ReadOnlySpan<byte> data, Span<short> samples)
    {
        int size = format.BytesPerSample;
        int count = data.Length / size;
        switch (format.Encoding, format.BitsPerSample)
        {
            case (WavEncoding.Pcm, 8):
                // 8-bit WAV is unsigned with 128 as silence.
                for (int i = 0; i < count; i++)
                {
                    samples[i] = (short)((data[i] - 128) << 8);
                }

                break;
            case (WavEncoding.Pcm, 16):
                Pcm16.AsSamples(data[..(count * 2)]).CopyTo(samples);
                break;
            case (WavEncoding.Pcm, 24):
                for (int i = 0; i < count; i++)
                {
                    int value = data[3 * i] | (data[3 * i + 1] << 8) | ((sbyte)data[3 * i + 2] << 16);
                    samples[i] = RoundShift(value, 8);
                }

                break;
            case (WavEncoding.Pcm, 32):
                for (int i = 0; i < count; i++)
                {
                    samples[i] = RoundShift(BinaryPrimitives.ReadInt32LittleEndian(data[(4 * i)..]), 16);
                }

                break;
            case (WavEncoding.IeeeFloat, 32):
                for (int i = 0; i < count; i++)
                {
                    samples[i] = Pcm16Convert.Saturate(BinaryPrimitives.ReadSingleLittleEndian(data[(4 * i)..]) * Pcm16.FullScale);
                }

                break;
            case (WavEncoding.IeeeFloat, 64):
                for (int i = 0; i < count; i++)
                {
                    samples[i] = Pcm16Convert.Saturate((float)(BinaryPrimitives.ReadDoubleLittleEndian(data[(8 * i)..]) * Pcm16.FullScale));
                }

                break;
            case (WavEncoding.ALaw, 8):
                ALaw.Decode(data[..count], samples);
                break;
            case (WavEncoding.MuLaw, 8):
                MuLaw.Decode(data[..count], samples);
                break;
            default:
                throw new NotSupportedException($"Unsupported WAV encoding: {format.Description} (supported: {WavFormat.Supported}).");
        }

        return count;
    }

    // Drops the low bits with rounding to nearest; the top of the range would round past 32767, so it saturates.
    private static short RoundShift(long value, int shift)
        => (short)Math.Clamp((value + (1L << (shift - 1))) >> shift, short.MinValue, short.MaxValue);
}
