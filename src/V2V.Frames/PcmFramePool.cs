namespace V2V.Frames;

/// <summary>
/// The idle slots of <see cref="PcmFrame"/>s, shared by the process. Bounded: at most <see cref="Capacity"/> idle
/// slots are kept (about the frames in flight of a hundred sessions with a second of audio queued each); a slot
/// given back beyond that is left to the collector. A slot is taken and given back under a lock held for one
/// array operation.
/// </summary>
internal static class PcmFramePool
{
    /// <summary>At most this many idle slots are kept.</summary>
    public const int Capacity = 16384;

    private static readonly object Gate = new();
    private static readonly PcmFrameSlot?[] Idle = new PcmFrameSlot?[Capacity];
    private static int _count;

    public static PcmFrameSlot Take()
    {
        lock (Gate)
        {
            if (_count > 0)
            {
                var slot = Idle[--_count]!;
                Idle[_count] = null;
                return slot;
            }
        }
        return new PcmFrameSlot();
    }

    public static void Return(PcmFrameSlot slot)
    {
        lock (Gate)
        {
            if (_count < Capacity)
            {
                Idle[_count++] = slot;
            }
        }
    }
}
