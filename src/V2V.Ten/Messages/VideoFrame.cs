namespace V2V.Ten.Messages;

/// <summary>
/// A video frame (e.g. <c>video_frame</c>), as in TEN: the pixels with their format and size. Nothing in this host
/// makes or reads video; the type exists so that graphs written for TEN with <c>video_frame</c> routes run here,
/// and an extension of a user's own can take frames by overriding <see cref="Extension.OnVideoFrameAsync"/>.
/// </summary>
public sealed class VideoFrame : TenMessage
{
    /// <summary>Creates a frame over <paramref name="pixels"/> (not copied: the sender must not reuse the memory).</summary>
    public VideoFrame(string name, ReadOnlyMemory<byte> pixels, int width, int height, string pixelFormat) : base(name)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(width);
        ArgumentOutOfRangeException.ThrowIfNegative(height);
        ArgumentException.ThrowIfNullOrWhiteSpace(pixelFormat);
        Pixels = pixels;
        Width = width;
        Height = height;
        PixelFormat = pixelFormat;
    }

    /// <summary>The pixels, laid out as <see cref="PixelFormat"/> says.</summary>
    public ReadOnlyMemory<byte> Pixels { get; }

    /// <summary>The width in pixels.</summary>
    public int Width { get; }

    /// <summary>The height in pixels.</summary>
    public int Height { get; }

    /// <summary>TEN's pixel format name, e.g. <c>RGBA</c>, <c>RGB24</c>, <c>I420</c>, <c>NV12</c>.</summary>
    public string PixelFormat { get; }

    /// <summary>A timestamp in milliseconds chosen by the sender (0 when unused).</summary>
    public long Timestamp { get; init; }
}
