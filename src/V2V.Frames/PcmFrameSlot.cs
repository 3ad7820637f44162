using System.Buffers;
using System.Text.Json.Nodes;

namespace V2V.Frames;

/// <summary>
/// What a <see cref="PcmFrame"/> handle points at: the buffer and the frame's description, reused from frame to frame
/// through <see cref="PcmFramePool"/>. The generation changes each time the slot goes back to the pool, so that a
/// handle of an earlier frame sees that it is stale instead of reading a later frame's samples.
/// </summary>
internal sealed class PcmFrameSlot
{
    /// <summary>Buffers up to this size stay with the slot when it is idle (10 ms frames are 160-1,920 bytes); larger ones go back to the shared pool.</summary>
    public const int KeptBufferBytes = 4096;

    private int _generation;
    private int _owners;

    public byte[]? Pooled;
    public ReadOnlyMemory<byte> Wrapped;
    public int Length;
    public int SampleRate;
    public int Channels;
    public AudioStreamId? StreamId;
    public string? ItemId;
    public long ItemEndSample;
    public JsonObject? Properties;

    public int Generation => Volatile.Read(ref _generation);

    /// <summary>Makes the slot a frame of <paramref name="byteLength"/> pooled bytes with one owner.</summary>
    public void Open(int byteLength, int sampleRate, int channels)
    {
        if (Pooled is null || Pooled.Length < byteLength)
        {
            if (Pooled is not null)
            {
                ArrayPool<byte>.Shared.Return(Pooled);
            }
            Pooled = ArrayPool<byte>.Shared.Rent(Math.Max(byteLength, 1));
        }
        Wrapped = default;
        Describe(byteLength, sampleRate, channels);
    }

    /// <summary>Makes the slot a frame over memory it does not own (nothing is returned for it).</summary>
    public void Open(ReadOnlyMemory<byte> memory, int sampleRate, int channels)
    {
        Wrapped = memory;
        Describe(memory.Length, sampleRate, channels);
    }

    public ReadOnlyMemory<byte> Memory => Wrapped.IsEmpty && Pooled is not null ? Pooled.AsMemory(0, Length) : Wrapped;

    /// <summary>Adds owners (a frame handed to several receivers); false when the frame is already gone.</summary>
    public bool AddOwners(int generation, int count)
    {
        while (true)
        {
            var owners = Volatile.Read(ref _owners);
            if (owners <= 0 || Generation != generation)
            {
                return false;
            }
            if (Interlocked.CompareExchange(ref _owners, owners + count, owners) == owners)
            {
                return true;
            }
        }
    }

    /// <summary>One owner is done: the last one ends the generation and gives the slot back. False when the handle was stale already.</summary>
    public bool Release(int generation)
    {
        if (Generation != generation)
        {
            return false;
        }
        var left = Interlocked.Decrement(ref _owners);
        if (left > 0)
        {
            return true;
        }
        if (left < 0 || Interlocked.CompareExchange(ref _generation, generation + 1, generation) != generation)
        {
            return false; // disposed more often than it had owners: the extra dispose does nothing
        }
        ItemId = null;
        Properties?.Clear();
        Wrapped = default;
        if (Pooled is { Length: > KeptBufferBytes })
        {
            ArrayPool<byte>.Shared.Return(Pooled);
            Pooled = null;
        }
        PcmFramePool.Return(this);
        return true;
    }

    private void Describe(int length, int sampleRate, int channels)
    {
        Length = length;
        SampleRate = sampleRate;
        Channels = channels;
        StreamId = null;
        ItemId = null;
        ItemEndSample = 0;
        Volatile.Write(ref _owners, 1);
    }
}
