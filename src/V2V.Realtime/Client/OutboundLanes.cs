using System.Threading.Channels;

namespace V2V.Realtime.Client;

/// <summary>
/// The client's send queue: two bounded lanes read by one writer.
/// <list type="bullet">
/// <item>The audio lane holds <c>input_audio_buffer.append</c>. On a slow socket it can hold seconds of audio.</item>
/// <item>The control lane holds every other event (<c>response.cancel</c>, <c>conversation.item.truncate</c>,
/// <c>response.create</c>, <c>session.update</c>, <c>conversation.item.create</c>/<c>delete</c>, ...). The writer
/// serves it first, so a barge-in's cancel and truncate do not wait behind queued audio.</item>
/// </list>
/// What must not be reordered: <c>input_audio_buffer.commit</c> and <c>.clear</c> act on the audio appended
/// before them. They ride the control lane as barriers. Before one is sent, every append queued before it goes
/// first. Control events queued after a barrier stay behind it, because the control lane is in order: a
/// <c>response.create</c> after a commit answers the audio that commit carries.
/// Each lane keeps its own order. Each holds at most <c>capacity</c> messages. When a lane is full the sender
/// waits (back-pressure). Nothing is dropped here.
/// A semaphore counts the entries of both lanes, so the writer sleeps on one wait.
/// </summary>
internal sealed class OutboundLanes
{
    private readonly Channel<OutboundMessage> _audio;
    private readonly Channel<OutboundMessage> _control;
    private readonly SemaphoreSlim _queued = new(0);
    private long _lastTicket;
    private int _completed;
    // Messages added or being added and not yet taken: read without a lock by the fast path, on every append. A lane's
    // Count takes the channel's lock, and the fast path asked both lanes on every send.
    private int _waiting;

    public OutboundLanes(int capacity)
    {
        _audio = Channel.CreateBounded<OutboundMessage>(LaneOptions(capacity));
        _control = Channel.CreateBounded<OutboundMessage>(LaneOptions(capacity));
    }

    /// <summary>Nothing waits in either lane, nor is being added (a message being taken by the writer may still be in flight).</summary>
    public bool IsEmpty => Volatile.Read(ref _waiting) == 0;

    /// <summary>Messages waiting in the audio lane (for tests and diagnostics).</summary>
    public int QueuedAudio => _audio.Reader.Count;

    /// <summary>Queues without waiting; false when the lane is full or closed (the message is not stamped then).</summary>
    public bool TryAdd(OutboundMessage message)
    {
        var stamped = message with { Ticket = Interlocked.Increment(ref _lastTicket) };
        Interlocked.Increment(ref _waiting);
        if (!LaneOf(message).Writer.TryWrite(stamped))
        {
            Interlocked.Decrement(ref _waiting);
            return false;
        }
        _queued.Release();
        return true;
    }

    /// <summary>Queues, waiting while the lane is full. Throws <see cref="ChannelClosedException"/> when the lanes are closed.</summary>
    public async ValueTask AddAsync(OutboundMessage message, CancellationToken cancellationToken)
    {
        var stamped = message with { Ticket = Interlocked.Increment(ref _lastTicket) };
        // Counted while it waits for room too: a caller on the fast path must not overtake it.
        Interlocked.Increment(ref _waiting);
        try
        {
            await LaneOf(message).Writer.WriteAsync(stamped, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            Interlocked.Decrement(ref _waiting);
            throw;
        }
        _queued.Release();
    }

    /// <summary>Waits for an entry (or for <see cref="Complete"/>); then <see cref="TryTake"/> has a message unless the lanes are completed and empty.</summary>
    public Task WaitAsync(CancellationToken cancellationToken) => _queued.WaitAsync(cancellationToken);

    /// <summary>Claims an entry without waiting.</summary>
    public bool TryWait() => _queued.Wait(0);

    /// <summary>The next message for the socket, by the rule above. Only the single writer calls this.</summary>
    public bool TryTake(out OutboundMessage message)
    {
        if (!TakeByTheRule(out message))
        {
            return false;
        }
        Interlocked.Decrement(ref _waiting);
        return true;
    }

    private bool TakeByTheRule(out OutboundMessage message)
    {
        if (_control.Reader.TryPeek(out var head))
        {
            if (head.Kind == OutboundKind.AudioBarrier && _audio.Reader.TryPeek(out var append) && append.Ticket < head.Ticket)
            {
                return _audio.Reader.TryRead(out message);
            }
            return _control.Reader.TryRead(out message);
        }
        return _audio.Reader.TryRead(out message);
    }

    /// <summary>No more messages are accepted; wakes the writer so it can finish what is queued and stop.</summary>
    public void Complete()
    {
        if (Interlocked.Exchange(ref _completed, 1) == 1)
        {
            return;
        }
        _audio.Writer.TryComplete();
        _control.Writer.TryComplete();
        _queued.Release();
    }

    /// <summary>Returns the buffers of everything still queued (the writer has stopped).</summary>
    public void ReturnAll()
    {
        while (_control.Reader.TryRead(out var message) || _audio.Reader.TryRead(out message))
        {
            Interlocked.Decrement(ref _waiting);
            message.Return();
        }
    }

    private Channel<OutboundMessage> LaneOf(in OutboundMessage message) => message.Kind == OutboundKind.Audio ? _audio : _control;

    private static BoundedChannelOptions LaneOptions(int capacity) => new(capacity)
    {
        FullMode = BoundedChannelFullMode.Wait,
        SingleReader = true,
    };
}
