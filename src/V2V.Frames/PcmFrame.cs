using System.Text.Json.Nodes;

namespace V2V.Frames;

/// <summary>
/// A frame of pcm16 audio (little-endian, interleaved) that carries audio from stage to stage without a copy and
/// without an allocation: the samples in a pooled buffer, their rate and channels, which stream and conversation
/// item they belong to, and where in the item the frame ends. Properties beyond those are made only when asked for.
/// </summary>
/// <remarks>
/// <para>One rule: <b>the receiver disposes</b>. Whoever is handed a frame either hands it on (and no longer
/// touches it) or disposes it when done; disposing gives the buffer back for a later frame. A frame that is never
/// disposed is simply collected.</para>
/// <para>A <see cref="PcmFrame"/> is a handle: copies of it are the same frame. Once the frame is disposed every
/// copy is stale, and reading one throws <see cref="ObjectDisposedException"/> (the handle's generation no longer
/// matches its buffer's), so a reference kept too long fails loudly instead of showing a later frame's samples.
/// A frame handed to several receivers gets one owner per receiver (<see cref="AddOwners"/>); its buffer goes back
/// when the last disposes. The memory of <see cref="Memory"/> must not be kept beyond the frame's life.</para>
/// </remarks>
public readonly struct PcmFrame : IDisposable, IEquatable<PcmFrame>
{
    private readonly PcmFrameSlot? _slot;
    private readonly int _generation;

    private PcmFrame(PcmFrameSlot slot)
    {
        _slot = slot;
        _generation = slot.Generation;
    }

    /// <summary>A frame of <paramref name="byteLength"/> bytes in a pooled buffer, for the caller to fill (<see cref="WritableSpan"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A negative length, a rate that is not positive, or channels outside 1-8.</exception>
    public static PcmFrame Rent(int byteLength, int sampleRate, int channels = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(byteLength);
        CheckFormat(sampleRate, channels);
        var slot = PcmFramePool.Take();
        slot.Open(byteLength, sampleRate, channels);
        return new PcmFrame(slot);
    }

    /// <summary>A frame over samples the caller owns and will not reuse (nothing is copied, nothing is returned for them).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A rate that is not positive, or channels outside 1-8.</exception>
    public static PcmFrame Wrap(ReadOnlyMemory<byte> pcm16, int sampleRate, int channels = 1)
    {
        CheckFormat(sampleRate, channels);
        var slot = PcmFramePool.Take();
        slot.Open(pcm16, sampleRate, channels);
        return new PcmFrame(slot);
    }

    /// <summary>True for <c>default(PcmFrame)</c>, which is no frame.</summary>
    public bool IsNone => _slot is null;

    /// <summary>True while the frame has not been disposed (by any of its owners' last dispose).</summary>
    public bool IsAlive => _slot is not null && _slot.Generation == _generation;

    /// <summary>The samples as bytes. Valid until the frame is disposed: do not keep the memory.</summary>
    public ReadOnlyMemory<byte> Memory => Live.Memory;

    /// <summary>The samples as bytes.</summary>
    public ReadOnlySpan<byte> Span => Live.Memory.Span;

    /// <summary>The samples, for the producer that rented the frame to fill them.</summary>
    /// <exception cref="InvalidOperationException">The frame wraps memory it does not own.</exception>
    public Span<byte> WritableSpan
    {
        get
        {
            var slot = Live;
            return slot.Pooled is { } pooled && slot.Wrapped.IsEmpty
                ? pooled.AsSpan(0, slot.Length)
                : throw new InvalidOperationException("This frame wraps memory it does not own; only a rented frame can be written.");
        }
    }

    /// <summary>Bytes of audio.</summary>
    public int Length => Live.Length;

    /// <summary>Samples per second of each channel.</summary>
    public int SampleRate => Live.SampleRate;

    /// <summary>Interleaved channels.</summary>
    public int Channels => Live.Channels;

    /// <summary>Samples of each channel in the frame.</summary>
    public int SamplesPerChannel
    {
        get
        {
            var slot = Live;
            return slot.Length / (2 * slot.Channels);
        }
    }

    /// <summary>The frame's length in time.</summary>
    public TimeSpan Duration
    {
        get
        {
            var slot = Live;
            return TimeSpan.FromSeconds((double)slot.Length / (2 * slot.Channels) / slot.SampleRate);
        }
    }

    /// <summary>The stream the frame belongs to (null when not set).</summary>
    public AudioStreamId? StreamId => Live.StreamId;

    /// <summary>The conversation item the audio is of, when it is the agent's (null otherwise).</summary>
    public string? ItemId => Live.ItemId;

    /// <summary>How far into its item the frame ends, in samples per channel (what a truncate after it would keep).</summary>
    public long ItemEndSample => Live.ItemEndSample;

    /// <summary>How far into its item the frame ends, in ms (the <c>audio_end_ms</c> of a truncate after it).</summary>
    public double ItemEndMs
    {
        get
        {
            var slot = Live;
            return slot.ItemEndSample * 1000.0 / slot.SampleRate;
        }
    }

    /// <summary>True when a property bag was made for this frame (reading <see cref="Properties"/> makes one).</summary>
    public bool HasProperties => Live.Properties is { Count: > 0 };

    /// <summary>Properties beyond the typed ones (TEN's message properties), made on first use and kept with the buffer.</summary>
    public JsonObject Properties
    {
        get
        {
            var slot = Live;
            return slot.Properties ??= [];
        }
    }

    /// <summary>Shortens the frame to its first <paramref name="byteLength"/> bytes (a producer that rented the most it could need).</summary>
    public void Trim(int byteLength)
    {
        var slot = Live;
        ArgumentOutOfRangeException.ThrowIfNegative(byteLength);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(byteLength, slot.Length);
        slot.Length = byteLength;
        if (!slot.Wrapped.IsEmpty)
        {
            slot.Wrapped = slot.Wrapped[..byteLength];
        }
    }

    /// <summary>Says which stream the frame belongs to.</summary>
    public void SetStream(AudioStreamId? streamId) => Live.StreamId = streamId;

    /// <summary>Says which item the frame is of and where in it (samples per channel) it ends.</summary>
    public void SetItem(string? itemId, long itemEndSample)
    {
        var slot = Live;
        slot.ItemId = itemId;
        slot.ItemEndSample = itemEndSample;
    }

    /// <summary>
    /// Gives the frame <paramref name="count"/> more owners, each of which disposes it once: for a frame handed to
    /// several receivers. Throws <see cref="ObjectDisposedException"/> when the frame is gone.
    /// </summary>
    public void AddOwners(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (count > 0 && (_slot is null || !_slot.AddOwners(_generation, count)))
        {
            throw Stale();
        }
    }

    /// <summary>The receiver is done with the frame. Disposing a stale handle does nothing.</summary>
    public void Dispose() => _slot?.Release(_generation);

    /// <inheritdoc />
    public bool Equals(PcmFrame other) => ReferenceEquals(_slot, other._slot) && _generation == other._generation;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is PcmFrame other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(_slot, _generation);

    /// <summary>Same frame.</summary>
    public static bool operator ==(PcmFrame left, PcmFrame right) => left.Equals(right);

    /// <summary>Not the same frame.</summary>
    public static bool operator !=(PcmFrame left, PcmFrame right) => !left.Equals(right);

    /// <summary>The frame's format and item, for logs (no samples).</summary>
    public override string ToString() =>
        _slot is null ? "PcmFrame(none)"
        : !IsAlive ? "PcmFrame(disposed)"
        : $"PcmFrame({Length} B, {SampleRate} Hz x{Channels}, stream {StreamId?.ToString() ?? "-"}, item {ItemId ?? "-"} to {ItemEndMs:0.#} ms)";

    private PcmFrameSlot Live =>
        _slot is { } slot && slot.Generation == _generation ? slot : throw Stale();

    private ObjectDisposedException Stale() =>
        _slot is null
            ? new ObjectDisposedException(nameof(PcmFrame), "This is default(PcmFrame), not a frame: rent one with PcmFrame.Rent or PcmFrame.Wrap.")
            : new ObjectDisposedException(nameof(PcmFrame), "The frame was disposed and its buffer reused: read a frame before disposing it, and keep no copy of it afterwards.");

    private static void CheckFormat(int sampleRate, int channels)
    {
        if (sampleRate <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(sampleRate), sampleRate, "sample_rate must be positive (e.g. 24000).");
        }
        if (channels is < 1 or > 8)
        {
            throw new ArgumentOutOfRangeException(nameof(channels), channels, "number_of_channels must be 1 to 8.");
        }
    }
}
