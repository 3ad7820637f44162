namespace V2V.Ten.Messages;

/// <summary>
/// An audio frame (e.g. <c>pcm_frame</c>): interleaved pcm16 little-endian samples with their rate and
/// channel count, as TEN's AudioFrame with bytes_per_sample 2 and data_fmt INTERLEAVE.
/// </summary>
public sealed class AudioFrame : TenMessage
{
    /// <summary>Creates a frame over <paramref name="pcm16"/> (the frame does not copy it: the sender must not reuse the memory).</summary>
    public AudioFrame(string name, ReadOnlyMemory<byte> pcm16, int sampleRate, int channels) : base(name)
    {
        if (sampleRate <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(sampleRate), sampleRate, "sample_rate must be positive.");
        }
        if (channels <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(channels), channels, "number_of_channels must be positive.");
        }
        Buffer = pcm16;
        SampleRate = sampleRate;
        Channels = channels;
    }

    /// <summary>The samples: pcm16 little-endian, interleaved.</summary>
    public ReadOnlyMemory<byte> Buffer { get; }

    /// <summary>Samples per second of each channel.</summary>
    public int SampleRate { get; }

    /// <summary>The number of channels.</summary>
    public int Channels { get; }

    /// <summary>Bytes per sample (2: pcm16).</summary>
    public int BytesPerSample => 2;

    /// <summary>Samples per channel in this frame.</summary>
    public int SamplesPerChannel => Buffer.Length / (BytesPerSample * Channels);

    /// <summary>A timestamp in milliseconds chosen by the sender (0 when unused).</summary>
    public long Timestamp { get; init; }

    /// <summary>The duration of the frame.</summary>
    public TimeSpan Duration => TimeSpan.FromSeconds((double)SamplesPerChannel / SampleRate);
}
