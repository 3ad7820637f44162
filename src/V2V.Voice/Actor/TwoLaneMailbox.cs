using System.Threading.Channels;

namespace V2V.Voice.Actor;

/// <summary>
/// The mailbox of an actor, as DESIGN.md asks: a control lane that is always served first, and an event lane that
/// keeps the order things happened in. Both are bounded; a writer to a full lane waits (nothing is dropped), so the
/// bound holds and pressure goes back to whoever produces. One reader.
/// </summary>
internal sealed class TwoLaneMailbox<T>
{
    private readonly Channel<T> _control;
    private readonly Channel<T> _events;

    // Counts the entries of both lanes (plus one wake-up on completion), so the reader sleeps on one wait.
    private readonly SemaphoreSlim _pending = new(0);

    public TwoLaneMailbox(int controlCapacity, int eventCapacity)
    {
        _control = Channel.CreateBounded<T>(new BoundedChannelOptions(controlCapacity) { FullMode = BoundedChannelFullMode.Wait, SingleReader = true });
        _events = Channel.CreateBounded<T>(new BoundedChannelOptions(eventCapacity) { FullMode = BoundedChannelFullMode.Wait, SingleReader = true });
    }

    /// <summary>Nothing waits in either lane.</summary>
    public bool IsEmpty => _control.Reader.Count == 0 && _events.Reader.Count == 0;

    /// <summary>Queues on the control lane, waiting while it is full; false once the mailbox is completed.</summary>
    public ValueTask<bool> PostControlAsync(T item, CancellationToken ct) => PostAsync(_control, item, ct);

    /// <summary>Queues on the event lane, waiting while it is full; false once the mailbox is completed.</summary>
    public ValueTask<bool> PostEventAsync(T item, CancellationToken ct) => PostAsync(_events, item, ct);

    /// <summary>The next entry, control first; <c>Done</c> once the mailbox is completed and empty.</summary>
    public async ValueTask<(bool Done, T? Item)> TakeAsync(CancellationToken ct)
    {
        while (true)
        {
            await _pending.WaitAsync(ct).ConfigureAwait(false);
            if (_control.Reader.TryRead(out var item) || _events.Reader.TryRead(out item))
            {
                return (false, item);
            }
            if (_control.Reader.Completion.IsCompleted && _events.Reader.Completion.IsCompleted)
            {
                return (true, default);
            }
        }
    }

    /// <summary>Takes no more entries; those queued are still handed out.</summary>
    public void Complete()
    {
        _control.Writer.TryComplete();
        _events.Writer.TryComplete();
        _pending.Release();
    }

    private async ValueTask<bool> PostAsync(Channel<T> lane, T item, CancellationToken ct)
    {
        if (!lane.Writer.TryWrite(item))
        {
            try
            {
                await lane.Writer.WriteAsync(item, ct).ConfigureAwait(false);
            }
            catch (ChannelClosedException)
            {
                return false;
            }
        }
        _pending.Release();
        return true;
    }
}
