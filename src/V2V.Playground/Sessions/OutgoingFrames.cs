using System.Threading.Channels;
using V2V.Frames;

namespace V2V.Playground.Sessions;

/// <summary>
/// The agent's frames waiting for a socket's one writer (a page's, a call's). Bounded to <c>capacity</c> frames; when
/// full the oldest is dropped (a writer that far behind has a stalled socket, and the agent must not wait for it).
/// The queue owns what it holds: a frame dropped or cleared is disposed and counted, one refused (the queue is
/// complete: its reader is gone) is disposed.
/// </summary>
internal sealed class OutgoingFrames
{
    private readonly Channel<PcmFrame> _frames;
    private long _dropped;

    public OutgoingFrames(int capacity) =>
        _frames = Channel.CreateBounded<PcmFrame>(
            new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            dropped =>
            {
                dropped.Dispose();
                Interlocked.Increment(ref _dropped);
            });

    /// <summary>Frames dropped: the queue was full, or they were cleared before they were sent.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>True once the queue is complete and empty: nothing more will come out.</summary>
    public bool IsDone => _frames.Reader.Completion.IsCompleted;

    /// <summary>Queues <paramref name="frame"/>, which the queue owns now; false (the frame disposed) once complete.</summary>
    public bool TryAdd(PcmFrame frame)
    {
        if (_frames.Writer.TryWrite(frame))
        {
            return true;
        }
        frame.Dispose();
        return false;
    }

    /// <summary>The next frame for the writer, which owns it then.</summary>
    public bool TryTake(out PcmFrame frame) => _frames.Reader.TryRead(out frame);

    /// <summary>Drops what is queued (a barge-in); returns how many frames, which count as dropped.</summary>
    public int Clear()
    {
        var cleared = 0;
        while (_frames.Reader.TryRead(out var frame))
        {
            frame.Dispose();
            cleared++;
        }
        Interlocked.Add(ref _dropped, cleared);
        return cleared;
    }

    /// <summary>Takes no more frames; what is queued can still be taken.</summary>
    public void Complete() => _frames.Writer.TryComplete();

    /// <summary>Gives back the buffers of what is still queued at the end (not counted: nothing was dropped, the socket is done).</summary>
    public void DisposeRemaining()
    {
        while (_frames.Reader.TryRead(out var frame))
        {
            frame.Dispose();
        }
    }
}
