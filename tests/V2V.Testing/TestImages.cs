using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace V2V.Testing;

/// <summary>Images for the tests that show the agent one: a real PNG (any size, one colour), and the first bytes of other formats.</summary>
public static class TestImages
{
    /// <summary>A valid PNG of <paramref name="width"/> x <paramref name="height"/> grey pixels (8-bit greyscale, zlib-compressed rows).</summary>
    public static byte[] Png(int width, int height)
    {
        using var png = new MemoryStream();
        png.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8; // bit depth; colour type 0 (greyscale), compression, filter, interlace 0
        Chunk(png, "IHDR", header);
        using var rows = new MemoryStream();
        using (var zlib = new ZLibStream(rows, CompressionLevel.Optimal, leaveOpen: true))
        {
            var row = new byte[width + 1]; // filter byte 0, then the pixels
            Array.Fill(row, (byte)0x80, 1, width);
            for (var y = 0; y < height; y++)
            {
                zlib.Write(row);
            }
        }
        Chunk(png, "IDAT", rows.ToArray());
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    /// <summary>The start of a JPEG of <paramref name="width"/> x <paramref name="height"/>: SOI, an APP0 segment, a baseline SOF0 (no scan data).</summary>
    public static byte[] JpegHeader(int width, int height) =>
    [
        0xFF, 0xD8,
        0xFF, 0xE0, 0x00, 0x10, (byte)'J', (byte)'F', (byte)'I', (byte)'F', 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00,
        0xFF, 0xC0, 0x00, 0x0B, 0x08, (byte)(height >> 8), (byte)height, (byte)(width >> 8), (byte)width, 0x01, 0x01, 0x11, 0x00,
        0xFF, 0xD9,
    ];

    /// <summary>The first bytes of a GIF, a format the service does not take.</summary>
    public static byte[] GifHeader() => "GIF89a\x01\x00\x01\x00\x00\x00\x00;"u8.ToArray();

    /// <summary>A data URI of <paramref name="image"/>.</summary>
    public static string DataUri(byte[] image, string mediaType) => $"data:{mediaType};base64,{Convert.ToBase64String(image)}";

    private static void Chunk(Stream png, string type, byte[] data)
    {
        Span<byte> number = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(number, data.Length);
        png.Write(number);
        var typed = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        png.Write(typed);
        BinaryPrimitives.WriteUInt32BigEndian(number, Crc32(typed));
        png.Write(number);
    }

    // PNG's CRC-32 (ISO 3309), bit by bit: a test image is small.
    private static uint Crc32(byte[] bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
            }
        }
        return crc ^ 0xFFFFFFFFu;
    }
}
