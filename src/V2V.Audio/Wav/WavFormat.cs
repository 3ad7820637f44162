using System.Buffers.Binary;

namespace V2V.Audio;

/// <summary>The parsed and validated fmt chunk of a WAV file.</summary>
internal sealed record WavFormat(WavEncoding Encoding, int Channels, int SampleRate, int BitsPerSample, int BlockAlign)
{
    internal const string Supported =
        "PCM 8/16/24/32-bit, IEEE float 32/64-bit, G.711 A-law/mu-law 8-bit, also inside WAVE_FORMAT_EXTENSIBLE";

    private const int Extensible = 0xFFFE;

    /// <summary>Bytes of one sample of one channel.</summary>
    public int BytesPerSample => BitsPerSample / 8;

    /// <summary>A readable name such as "PCM 24-bit".</summary>
    public string Description => $"{Name(Encoding)} {BitsPerSample}-bit";

    /// <summary>Parses the body of a fmt chunk; throws naming the problem.</summary>
    public static WavFormat Parse(ReadOnlySpan<byte> body)
    {
        if (body.Length < 16)
        {
            throw new InvalidDataException($"Invalid WAV file: the 'fmt ' chunk has {body.Length} bytes, at least 16 are needed.");
        }

        int tag = BinaryPrimitives.ReadUInt16LittleEndian(body);
        int channels = BinaryPrimitives.ReadUInt16LittleEndian(body[2..]);
        long sampleRate = BinaryPrimitives.ReadUInt32LittleEndian(body[4..]);
        int blockAlign = BinaryPrimitives.ReadUInt16LittleEndian(body[12..]);
        int bits = BinaryPrimitives.ReadUInt16LittleEndian(body[14..]);

        if (tag == Extensible)
        {
            // WAVE_FORMAT_EXTENSIBLE: cbSize(2) validBits(2) channelMask(4), then a GUID whose first two bytes
            // are the real format tag (the rest is the fixed KSDATAFORMAT suffix).
            if (body.Length < 40)
            {
                throw new InvalidDataException($"Invalid WAV file: a WAVE_FORMAT_EXTENSIBLE 'fmt ' chunk needs 40 bytes, this one has {body.Length}.");
            }

            tag = BinaryPrimitives.ReadUInt16LittleEndian(body[24..]);
        }

        if (channels == 0)
        {
            throw new InvalidDataException("Invalid WAV file: the 'fmt ' chunk declares zero channels.");
        }

        if (sampleRate is 0 or > int.MaxValue)
        {
            throw new InvalidDataException($"Invalid WAV file: the 'fmt ' chunk declares a sample rate of {sampleRate} Hz.");
        }

        var encoding = (WavEncoding)tag;
        bool supported = encoding switch
        {
            WavEncoding.Pcm => bits is 8 or 16 or 24 or 32,
            WavEncoding.IeeeFloat => bits is 32 or 64,
            WavEncoding.ALaw or WavEncoding.MuLaw => bits == 8,
            _ => false,
        };
        if (!supported)
        {
            string what = Enum.IsDefined(encoding) ? $"{Name(encoding)} {bits}-bit" : $"{TagName(tag)} (format tag 0x{tag:X4})";
            throw new NotSupportedException($"Unsupported WAV encoding: {what} (supported: {Supported}).");
        }

        if (blockAlign != channels * bits / 8)
        {
            throw new InvalidDataException(
                $"Invalid WAV file: block align is {blockAlign} but {channels} channels of {bits}-bit samples need {channels * bits / 8}.");
        }

        return new WavFormat(encoding, channels, (int)sampleRate, bits, blockAlign);
    }

    private static string Name(WavEncoding encoding) => encoding switch
    {
        WavEncoding.Pcm => "PCM",
        WavEncoding.IeeeFloat => "IEEE float",
        WavEncoding.ALaw => "G.711 A-law",
        WavEncoding.MuLaw => "G.711 mu-law",
        _ => "unknown",
    };

    private static string TagName(int tag) => tag switch
    {
        0x0002 => "Microsoft ADPCM",
        0x0011 => "IMA ADPCM",
        0x0031 => "GSM 6.10",
        0x0050 => "MPEG",
        0x0055 => "MPEG Layer 3",
        0x00FF => "AAC",
        0x704F => "Opus",
        _ => "unknown encoding",
    };
}
