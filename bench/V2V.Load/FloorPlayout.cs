using System.Buffers;
using System.Diagnostics;
using System.Threading.Channels;

namespace V2V.Load;

/// <summary>
/// What the floor that plays (<c>--bridges rawplay</c>) does with the answers, and no more: the decoded audio cut into
/// 10 ms frames of pooled arrays, released one frame per 10 ms by the harness's one output thread (as the SDK bridge's
/// are), and handed through a bounded channel to a reader task per session, which counts and returns each frame. A
/// speech start drops what is queued. No events, transcripts, truncates or positions: the least any bridge that plays
/// the answer in time must do after decoding it.
/// </summary>
internal sealed class FloorPlayout : IAsyncDisposable
{
    // 10 ms at 24 kHz, pcm16.
    private const int FrameBytes = 480;

    private static readonly long FrameTicks = Stopwatch.Frequency / 100;

    private readonly Lock _gate = new();
    private readonly Queue<byte[]> _queued = new();
    private readonly Channel<byte[]> _played = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(500) { SingleReader = true, SingleWriter = true });
    private readonly LoadStats _stats;
    private readonly Task _reader;
    private byte[]? _partial;
    private int _partialFill;
    private long _nextDue;

    public FloorPlayout(LoadStats stats)
    {
        _stats = stats;
        _reader = Task.Run(ReadAsync);
    }

    /// <summary>Decoded audio of a delta (the socket reader's thread): cut into frames and queued.</summary>
    public void Add(ReadOnlySpan<byte> audio)
    {
        lock (_gate)
        {
            if (_queued.Count == 0)
            {
                _nextDue = Math.Max(_nextDue, Stopwatch.GetTimestamp());
            }
            while (!audio.IsEmpty)
            {
                _partial ??= ArrayPool<byte>.Shared.Rent(FrameBytes);
                var take = Math.Min(audio.Length, FrameBytes - _partialFill);
                audio[..take].CopyTo(_partial.AsSpan(_partialFill));
                _partialFill += take;
                audio = audio[take..];
                if (_partialFill == FrameBytes)
                {
                    _queued.Enqueue(_partial);
                    _partial = null;
                    _partialFill = 0;
                }
            }
        }
    }

    /// <summary>The user spoke: what is queued will not be heard, nor the part of a frame the last delta left.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            while (_queued.TryDequeue(out var frame))
            {
                ArrayPool<byte>.Shared.Return(frame);
            }
            if (_partial is not null)
            {
                ArrayPool<byte>.Shared.Return(_partial);
                _partial = null;
                _partialFill = 0;
            }
        }
    }

    /// <summary>The output thread's tick: the frames due by <paramref name="now"/> go to the reader.</summary>
    public void Release(long now)
    {
        lock (_gate)
        {
            while (_nextDue <= now && _queued.TryDequeue(out var frame))
            {
                _nextDue += FrameTicks;
                if (!_played.Writer.TryWrite(frame))
                {
                    ArrayPool<byte>.Shared.Return(frame);
                }
            }
            if (_queued.Count == 0 && _nextDue < now - FrameTicks)
            {
                _nextDue = now; // nothing to play: no time banked for a burst later
            }
        }
    }

    private async Task ReadAsync()
    {
        await foreach (var frame in _played.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            Interlocked.Increment(ref _stats.FramesOut);
            ArrayPool<byte>.Shared.Return(frame);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _played.Writer.TryComplete();
        await _reader.ConfigureAwait(false);
        Clear();
    }
}
