using System.Text.Json.Nodes;
using V2V.Frames;

namespace V2V.Ten.Messages;

/// <summary>
/// An audio frame (e.g. <c>pcm_frame</c>): interleaved pcm16 little-endian samples with their rate and
/// channel count, as TEN's AudioFrame with bytes_per_sample 2 and data_fmt INTERLEAVE. It carries a
/// <see cref="PcmFrame"/>: the samples in a pooled buffer, and <c>stream_id</c>, <c>item_id</c> and <c>end_ms</c>
/// as typed fields (set and read by name too); other properties go to a bag made only when asked for.
/// </summary>
/// <remarks>
/// The receiver disposes: an extension that is handed a frame sends it on or disposes it when done (which gives the
/// buffer back); after that, reading it throws <see cref="ObjectDisposedException"/>. A frame sent to several
/// extensions has one owner each. A frame never disposed is collected.
/// </remarks>
public sealed class AudioFrame : TenMessage, IDisposable
{
    private readonly PcmFrame _frame;

    /// <summary>Creates a frame over <paramref name="pcm16"/> (the frame does not copy it: the sender must not reuse the memory).</summary>
    public AudioFrame(string name, ReadOnlyMemory<byte> pcm16, int sampleRate, int channels)
        : this(name, PcmFrame.Wrap(pcm16, sampleRate, channels))
    {
    }

    /// <summary>Creates a frame that takes <paramref name="frame"/> (its samples, format, stream, item and position): the message owns it now.</summary>
    public AudioFrame(string name, PcmFrame frame) : base(name)
    {
        if (frame.IsNone)
        {
            throw new ArgumentException("The frame is default(PcmFrame), not a frame: rent one with PcmFrame.Rent or PcmFrame.Wrap.", nameof(frame));
        }
        _frame = frame;
    }

    /// <summary>The samples and their description; valid until the frame is disposed.</summary>
    public PcmFrame Frame => _frame;

    /// <summary>The samples: pcm16 little-endian, interleaved.</summary>
    public ReadOnlyMemory<byte> Buffer => _frame.Memory;

    /// <summary>Samples per second of each channel.</summary>
    public int SampleRate => _frame.SampleRate;

    /// <summary>The number of channels.</summary>
    public int Channels => _frame.Channels;

    /// <summary>Bytes per sample (2: pcm16).</summary>
    public int BytesPerSample => 2;

    /// <summary>Samples per channel in this frame.</summary>
    public int SamplesPerChannel => _frame.SamplesPerChannel;

    /// <summary>A timestamp in milliseconds chosen by the sender (0 when unused).</summary>
    public long Timestamp { get; init; }

    /// <summary>The duration of the frame.</summary>
    public TimeSpan Duration => _frame.Duration;

    /// <summary>The <c>stream_id</c> (null when not set).</summary>
    public AudioStreamId? StreamId
    {
        get => _frame.StreamId;
        set => _frame.SetStream(value);
    }

    /// <summary>The <c>item_id</c>: the conversation item of the agent's audio (null when not set).</summary>
    public string? ItemId => _frame.ItemId;

    /// <summary>The <c>end_ms</c>: how far into its item the frame ends (0 when not set).</summary>
    public double EndMs => _frame.ItemEndMs;

    /// <summary>Gives the samples' buffer back: the receiver is done with the frame.</summary>
    public void Dispose() => _frame.Dispose();

    private protected override JsonObject GetProperties() => _frame.Properties;

    private protected override JsonObject? PeekProperties() => _frame.HasProperties ? _frame.Properties : null;

    private protected override JsonNode? GetKnown(string property) => property switch
    {
        "stream_id" when _frame.StreamId is { } id => JsonValue.Create(id.Value),
        "item_id" when _frame.ItemId is { } item => JsonValue.Create(item),
        "end_ms" when _frame.ItemId is not null => JsonValue.Create(_frame.ItemEndMs),
        _ => null,
    };

    private protected override bool TrySetKnown(string property, JsonNode? value)
    {
        switch (property)
        {
            case "stream_id" when value is JsonValue v && v.TryGetValue<long>(out var id):
                _frame.SetStream(new AudioStreamId(id));
                return true;
            case "item_id" when value is null || (value is JsonValue v && v.TryGetValue<string>(out _)):
                _frame.SetItem(value?.GetValue<string>(), _frame.ItemEndSample);
                return true;
            case "end_ms" when value is JsonValue v && v.TryGetValue<double>(out var ms):
                _frame.SetItem(_frame.ItemId, (long)Math.Round(ms * _frame.SampleRate / 1000));
                return true;
            default:
                return false;
        }
    }
}
