using System.Collections.Concurrent;

namespace V2V.Voice.Input;

/// <summary>
/// The blocks every session's <see cref="OpenTurnAudio"/> holds its user's open turn in, shared by the process: a
/// session takes blocks while its user speaks and gives them back when the turn is answered, so at any moment the
/// process holds about what its speaking users need, and allocates nothing once it has that many. (Blocks of the
/// shared array pool churned: a hundred sessions return more than its per-core caches keep, and it allocated anew,
/// 30 KB per audio second. A store's own spares would keep each session's longest turn for its whole life.)
/// </summary>
/// <remarks>Bounded: beyond <see cref="MostIdleBlocks"/> idle blocks, a block given back is left to the collector.</remarks>
internal static class AudioBlockPool
{
    /// <summary>Samples per block: 85 ms at 24 kHz, 4 KB, far below the large object heap.</summary>
    public const int BlockSamples = 2048;

    /// <summary>Idle blocks kept at most (16 MiB): enough for some 400 users speaking at once, 10 s each.</summary>
    public const int MostIdleBlocks = 4096;

    private static readonly ConcurrentBag<short[]> Idle = [];
    private static int _idleCount;

    /// <summary>A block to fill (its old samples are overwritten before they are read).</summary>
    public static short[] Take()
    {
        if (Idle.TryTake(out var block))
        {
            Interlocked.Decrement(ref _idleCount);
            return block;
        }
        return new short[BlockSamples];
    }

    /// <summary>Gives a block back for any session's next one.</summary>
    public static void Give(short[] block)
    {
        if (Interlocked.Increment(ref _idleCount) > MostIdleBlocks)
        {
            Interlocked.Decrement(ref _idleCount);
            return;
        }
        Idle.Add(block);
    }
}
