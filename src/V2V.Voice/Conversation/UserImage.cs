using V2V.Realtime.Protocol.Models;

namespace V2V.Voice.Conversation;

/// <summary>How closely the model looks at an image (the service's <c>detail</c>).</summary>
public enum ImageDetail
{
    /// <summary>The service chooses (high, today).</summary>
    Auto,

    /// <summary>A small version: fewer tokens, quicker, coarse.</summary>
    Low,

    /// <summary>The full image.</summary>
    High,
}

/// <summary>
/// An image the user shows the agent, checked before it is sent: PNG or JPEG (the only formats the service takes, told
/// by their first bytes, not by a name), at most <see cref="MaxBytes"/>, as the data URI of an <c>input_image</c> part.
/// </summary>
internal static class UserImage
{
    /// <summary>
    /// The largest image sent: its base64 (4/3 of it) in one message stays well under 16 MiB, the most our client and the
    /// local server take in one message (the service's own limit is not on record).
    /// </summary>
    public const int MaxBytes = 10 * 1024 * 1024;

    /// <summary>The user message that carries <paramref name="image"/> (and <paramref name="text"/>, when given); throws <see cref="ArgumentException"/> naming what is wrong.</summary>
    public static RealtimeConversationItem Message(ReadOnlySpan<byte> image, ImageDetail detail, string? text)
    {
        if (image.IsEmpty)
        {
            throw new ArgumentException("The image is empty.", nameof(image));
        }
        if (image.Length > MaxBytes)
        {
            throw new ArgumentException($"The image is {image.Length / 1048576.0:0.0} MiB; at most {MaxBytes / 1048576} MiB is sent. Downscale or recompress it (the model does not need more pixels than a screen shows).", nameof(image));
        }
        var mediaType = MediaType(image) ?? throw new ArgumentException(
            $"The image must be a PNG or JPEG, the only formats the service takes; its first bytes are {Convert.ToHexString(image[..Math.Min(4, image.Length)])}. Convert it first.", nameof(image));
        List<RealtimeContentPart> content = [];
        if (!string.IsNullOrWhiteSpace(text))
        {
            content.Add(new RealtimeContentPart { Type = RealtimeContentPart.InputTextType, Text = text });
        }
        content.Add(new RealtimeContentPart
        {
            Type = RealtimeContentPart.InputImageType,
            ImageUrl = $"data:{mediaType};base64,{Convert.ToBase64String(image)}",
            Detail = detail switch { ImageDetail.Low => "low", ImageDetail.High => "high", _ => "auto" },
        });
        return new RealtimeConversationItem { Type = "message", Role = "user", Content = content };
    }

    /// <summary>Whether <paramref name="item"/> carries an image.</summary>
    public static bool HasImage(RealtimeConversationItem item) =>
        item.Content?.Exists(p => p.Type == RealtimeContentPart.InputImageType) == true;

    /// <summary>
    /// <paramref name="item"/> with its images taken out and a note in their place: what the history keeps of an image
    /// shown long ago (the words said with it stay).
    /// </summary>
    public static RealtimeConversationItem WithoutImages(RealtimeConversationItem item) => new()
    {
        Type = item.Type,
        Role = item.Role,
        Content = [.. item.Content!.Select(p => p.Type == RealtimeContentPart.InputImageType
            ? new RealtimeContentPart { Type = RealtimeContentPart.InputTextType, Text = "[an image shown earlier]" }
            : p)],
    };

    private static string? MediaType(ReadOnlySpan<byte> image) =>
        image.StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]) ? "image/png"
        : image.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]) ? "image/jpeg"
        : null;
}
