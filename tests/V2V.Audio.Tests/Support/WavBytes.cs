using System.Buffers.Binary;
using System.Text;

namespace V2V.Audio.Tests;

/// <summary>Hand-built WAV files, byte by byte, independent of the writer under test.</summary>
internal static class WavBytes
{
    public static byte[] Build(
        int formatTag, int channels, int sampleRate, int bits, byte[] data,
        bool extensible = false, (string Id, byte[] Body)[]? chunksBeforeData = null)
    {
        var body = new MemoryStream();
        body.Write("WAVE"u8);
        byte[] fmt = new byte[extensible ? 40 : 16];
        BinaryPrimitives.WriteUInt16LittleEndian(fmt, (ushort)(extensible ? 0xFFFE : formatTag));
        BinaryPrimitives.WriteUInt16LittleEndian(fmt.AsSpan(2), (ushort)channels);
        BinaryPrimitives.WriteUInt32LittleEndian(fmt.AsSpan(4), (uint)sampleRate);
        BinaryPrimitives.WriteUInt32LittleEndian(fmt.AsSpan(8), (uint)(sampleRate * channels * bits / 8));
        BinaryPrimitives.WriteUInt16LittleEndian(fmt.AsSpan(12), (ushort)(channels * bits / 8));
        BinaryPrimitives.WriteUInt16LittleEndian(fmt.AsSpan(14), (ushort)bits);
        if (extensible)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(fmt.AsSpan(16), 22);
            BinaryPrimitives.WriteUInt16LittleEndian(fmt.AsSpan(18), (ushort)bits);
            BinaryPrimitives.WriteUInt32LittleEndian(fmt.AsSpan(20), channels == 2 ? 3u : 4u);
            // KSDATAFORMAT_SUBTYPE_xxx: the format tag, then the fixed GUID suffix.
            BinaryPrimitives.WriteUInt16LittleEndian(fmt.AsSpan(24), (ushort)formatTag);
            new byte[] { 0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71 }.CopyTo(fmt, 26);
        }

        WriteChunk(body, "fmt ", fmt);
        foreach (var (id, chunk) in chunksBeforeData ?? [])
        {
            WriteChunk(body, id, chunk);
        }

        WriteChunk(body, "data", data);
        var file = new MemoryStream();
        file.Write("RIFF"u8);
        Span<byte> size = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(size, (uint)body.Length);
        file.Write(size);
        body.Position = 0;
        body.CopyTo(file);
        return file.ToArray();
    }

    public static void WriteChunk(Stream stream, string id, byte[] body)
    {
        stream.Write(Encoding.ASCII.GetBytes(id));
        Span<byte> size = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(size, (uint)body.Length);
        stream.Write(size);
        stream.Write(body);
        if ((body.Length & 1) != 0)
        {
            stream.WriteByte(0);
        }
    }
}
