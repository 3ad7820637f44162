using System.Buffers.Binary;
using System.Text;

namespace V2V.Audio;

/// <summary>
/// Reads RIFF/WAVE files into pcm16: PCM 8/16/24/32-bit, IEEE float 32/64-bit, G.711 A-law/mu-law, also
/// inside WAVE_FORMAT_EXTENSIBLE, any channel count and rate. Chunks other than 'fmt ' and 'data' (LIST,
/// fact, cue ...) are skipped, honouring the pad byte after odd-sized chunks. Works on non-seekable streams.
/// </summary>
/// <remarks>
/// Malformed files raise <see cref="InvalidDataException"/> and encodings it cannot decode raise
/// <see cref="NotSupportedException"/>, each with a message that names the problem. A data chunk whose size
/// is 0xFFFFFFFF (written by a streaming writer that could not seek back) is read to the end of the stream;
/// a trailing partial frame is dropped.
/// </remarks>
public static class WavReader
{
    /// <summary>The data size a streaming writer leaves when it cannot seek back: "until the end".</summary>
    internal const uint UnknownSize = uint.MaxValue;

    private const int ReadBlock = 64 * 1024;

    /// <summary>Reads a WAV file from disk.</summary>
    /// <exception cref="InvalidDataException">The file is not a valid RIFF/WAVE file.</exception>
    /// <exception cref="NotSupportedException">The samples use an encoding the reader cannot decode.</exception>
    public static WavAudio ReadFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = File.OpenRead(path);
        return Read(stream);
    }

    /// <summary>Reads a WAV file from <paramref name="stream"/>, starting at its current position.</summary>
    /// <exception cref="InvalidDataException">The stream is not a valid RIFF/WAVE file.</exception>
    /// <exception cref="NotSupportedException">The samples use an encoding the reader cannot decode.</exception>
    public static WavAudio Read(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        Span<byte> header = stackalloc byte[12];
        int got = stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        if (got < 12 || !header[..4].SequenceEqual("RIFF"u8) || !header[8..12].SequenceEqual("WAVE"u8))
        {
            string start = got >= 4 ? $"it starts with '{Printable(header[..4])}'" : $"it has only {got} bytes";
            throw new InvalidDataException($"Not a RIFF/WAVE file: {start}, a WAV file starts with 'RIFF' and has 'WAVE' at byte 8.");
        }

        WavFormat? format = null;
        Span<byte> chunkHeader = stackalloc byte[8];
        while (true)
        {
            if (stream.ReadAtLeast(chunkHeader, 8, throwOnEndOfStream: false) < 8)
            {
                string missing = format is null ? "'fmt '" : "'data'";
                throw new InvalidDataException($"Invalid WAV file: it ends before its {missing} chunk (truncated?).");
            }

            string id = Printable(chunkHeader[..4]);
            uint size = BinaryPrimitives.ReadUInt32LittleEndian(chunkHeader[4..]);
            if (id == "fmt ")
            {
                var body = new byte[size];
                ReadExactly(stream, body, "'fmt ' chunk");
                format = WavFormat.Parse(body);
                SkipPad(stream, size);
            }
            else if (id == "data")
            {
                if (format is null)
                {
                    throw new InvalidDataException("Invalid WAV file: the 'data' chunk comes before any 'fmt ' chunk.");
                }

                return new WavAudio(ReadData(stream, format, size), format.SampleRate, format.Channels, format.Description);
            }
            else
            {
                Skip(stream, size + (size & 1), id);
            }
        }
    }

    private static short[] ReadData(Stream stream, WavFormat format, uint size)
    {
        var samples = new List<short>();
        long remaining = size == UnknownSize ? long.MaxValue : size;
        byte[] block = new byte[ReadBlock - ReadBlock % format.BlockAlign];
        short[] decoded = new short[block.Length / format.BytesPerSample];
        long read = 0;
        while (remaining > 0)
        {
            int want = (int)Math.Min(block.Length, remaining);
            int got = stream.ReadAtLeast(block.AsSpan(0, want), want, throwOnEndOfStream: false);
            read += got;
            remaining -= got;
            int whole = got - got % format.BlockAlign;
            int count = WavSampleDecoder.Decode(format, block.AsSpan(0, whole), decoded);
            samples.AddRange(decoded.AsSpan(0, count));
            if (got < want)
            {
                if (size != UnknownSize)
                {
                    throw new InvalidDataException(
                        $"Invalid WAV file: the 'data' chunk declares {size} bytes but only {read} follow (truncated?).");
                }

                break;
            }
        }

        return [.. samples];
    }

    private static void ReadExactly(Stream stream, byte[] buffer, string what)
    {
        int got = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        if (got < buffer.Length)
        {
            throw new InvalidDataException($"Invalid WAV file: the {what} declares {buffer.Length} bytes but only {got} follow (truncated?).");
        }
    }

    private static void SkipPad(Stream stream, uint size)
    {
        if ((size & 1) != 0)
        {
            Skip(stream, 1, "pad byte");
        }
    }

    private static void Skip(Stream stream, long count, string what)
    {
        if (stream.CanSeek)
        {
            if (stream.Position + count > stream.Length)
            {
                throw new InvalidDataException($"Invalid WAV file: the '{what}' chunk runs past the end of the file (truncated?).");
            }

            stream.Seek(count, SeekOrigin.Current);
            return;
        }

        Span<byte> sink = stackalloc byte[4096];
        while (count > 0)
        {
            int got = stream.Read(sink[..(int)Math.Min(sink.Length, count)]);
            if (got == 0)
            {
                throw new InvalidDataException($"Invalid WAV file: the '{what}' chunk runs past the end of the stream (truncated?).");
            }

            count -= got;
        }
    }

    private static string Printable(ReadOnlySpan<byte> id)
    {
        var text = new StringBuilder(id.Length);
        foreach (byte b in id)
        {
            text.Append(b is >= 32 and < 127 ? (char)b : '?');
        }

        return text.ToString();
    }
}
