namespace V2V.Simulator.Images;

/// <summary>
/// An image a client put in a user message (<c>input_image</c>): its format and size, read from the data URI's bytes as
/// a model's image reader would, so that an answer can say what it was given. Only data URIs of PNG and JPEG are taken
/// ("Supported formats are PNG and JPEG", the GA schema); the local server reaches no URL. What it refuses is a
/// <see cref="FormatException"/> whose message is the error's (the wording is ours; the service's is not on record).
/// </summary>
internal sealed record SentImage(string Format, int Width, int Height, int Bytes)
{
    public static SentImage Parse(string? imageUrl)
    {
        const string Prefix = "data:";
        if (imageUrl is null || !imageUrl.StartsWith(Prefix, StringComparison.Ordinal))
        {
            throw new FormatException("Invalid 'image_url': the local realtime server takes images as base64 data URIs (data:image/png;base64,... or data:image/jpeg;base64,...).");
        }
        var comma = imageUrl.IndexOf(',', StringComparison.Ordinal);
        var header = comma < 0 ? imageUrl : imageUrl[..comma];
        var declared = header switch
        {
            "data:image/png;base64" => "PNG",
            "data:image/jpeg;base64" or "data:image/jpg;base64" => "JPEG",
            _ => throw new FormatException($"Invalid 'image_url': '{(header.Length > 40 ? header[..40] + "..." : header)}' is not a base64 PNG or JPEG data URI. Supported formats are PNG and JPEG."),
        };
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(imageUrl[(comma + 1)..]);
        }
        catch (FormatException)
        {
            throw new FormatException("Invalid 'image_url': its data is not valid base64.");
        }
        var (format, width, height) = Png(bytes) ?? Jpeg(bytes)
            ?? throw new FormatException($"Invalid 'image_url': the data is not a {declared} image.");
        if (format != declared)
        {
            throw new FormatException($"Invalid 'image_url': the data URI says {declared}, but the data is a {format} image.");
        }
        return new SentImage(format, width, height, bytes.Length);
    }

    /// <summary>The signature, then the IHDR chunk's width and height (big-endian).</summary>
    private static (string, int, int)? Png(ReadOnlySpan<byte> b) =>
        b.Length >= 24 && b[..8].SequenceEqual((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]) && b.Slice(12, 4).SequenceEqual("IHDR"u8)
            ? ("PNG", System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(b[16..]), System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(b[20..]))
            : null;

    /// <summary>The start of image marker, then the segments up to the first start of frame, whose height and width it reads.</summary>
    private static (string, int, int)? Jpeg(ReadOnlySpan<byte> b)
    {
        if (b.Length < 4 || b[0] != 0xFF || b[1] != 0xD8)
        {
            return null;
        }
        var at = 2;
        while (at + 9 <= b.Length && b[at] == 0xFF)
        {
            var marker = b[at + 1];
            var length = (b[at + 2] << 8) | b[at + 3];
            // SOF0-SOF15, but DHT (C4), JPG (C8) and DAC (CC), which share the range.
            if (marker is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC)
            {
                return ("JPEG", (b[at + 7] << 8) | b[at + 8], (b[at + 5] << 8) | b[at + 6]);
            }
            at += 2 + length;
        }
        return null;
    }
}
