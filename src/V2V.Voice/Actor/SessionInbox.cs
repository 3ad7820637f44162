using Microsoft.Extensions.Logging;

namespace V2V.Voice.Actor;

/// <summary>
/// Where work for the session's actor is posted, and whether the session still takes work. Control lane: the
/// caller's actions (interrupt, text, tools, user joined or left), the input path's turn events and barge-ins, tool
/// outputs, timers; served first, so a barge-in never waits behind audio deltas. Event lane: the server's events and
/// the loss of a connection, in order. A full lane makes its writer wait (for the event lane, the connection's
/// reader: back-pressure on the socket); nothing is dropped.
/// </summary>
internal sealed class SessionInbox(ILogger logger, CancellationToken lifetime)
{
    private readonly TwoLaneMailbox<SessionWork> _mailbox = new(controlCapacity: 256, eventCapacity: 1024);
    private int _stopped;

    /// <summary>The session has stopped taking work (failed or disposed).</summary>
    public bool IsStopped => Volatile.Read(ref _stopped) == 1;

    /// <summary>Nothing waits in either lane.</summary>
    public bool IsEmpty => _mailbox.IsEmpty;

    /// <summary>Stops taking work; true for the one caller that stopped it.</summary>
    public bool TryStop() => Interlocked.Exchange(ref _stopped, 1) == 0;

    /// <summary>No more entries are queued; those queued are still handed out.</summary>
    public void Complete() => _mailbox.Complete();

    public void ThrowIfStopped()
    {
        if (IsStopped)
        {
            throw new ObjectDisposedException(nameof(VoiceSession), "The voice session has stopped.");
        }
    }

    /// <summary>The next entry, control first; <c>Done</c> once completed and empty.</summary>
    public ValueTask<(bool Done, SessionWork? Item)> TakeAsync(CancellationToken ct) => _mailbox.TakeAsync(ct);

    /// <summary>Queues on the event lane, in order; false once the session stopped taking work.</summary>
    public ValueTask<bool> PostEventAsync(SessionWork work, CancellationToken ct) => _mailbox.PostEventAsync(work, ct);

    /// <summary>Queues an action on the control lane without waiting for it to run (waits only while the lane is full).</summary>
    public async ValueTask PostAsync(Func<CancellationToken, ValueTask> action, string reason)
    {
        if (!await _mailbox.PostControlAsync(new ActionWork(action, null, reason), lifetime).ConfigureAwait(false))
        {
            logger.LogDebug("Not queued, the session is stopping: {Reason}", reason);
        }
    }

    public ValueTask PostAsync(Func<string, CancellationToken, ValueTask> action, string reason) => PostAsync(ct => action(reason, ct), reason);

    /// <summary>
    /// Queues an action on the control lane once <paramref name="wait"/> has passed on <paramref name="time"/>'s clock,
    /// without holding the caller; nothing is queued when the session ends first.
    /// </summary>
    public void PostAfter(TimeSpan wait, TimeProvider time, Func<CancellationToken, ValueTask> action, string reason) => _ = Task.Run(async () =>
    {
        try
        {
            await Task.Delay(wait, time, lifetime).ConfigureAwait(false);
            await PostAsync(action, reason).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
        {
        }
    }, CancellationToken.None);

    /// <summary>Queues an action on the control lane and waits until it has run (its exception comes back here).</summary>
    public async Task PostAndWaitAsync(Func<CancellationToken, ValueTask> action, CancellationToken cancellationToken)
    {
        ThrowIfStopped();
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!await _mailbox.PostControlAsync(new ActionWork(action, done, null), cancellationToken).ConfigureAwait(false))
        {
            throw new ObjectDisposedException(nameof(VoiceSession), "The voice session has stopped.");
        }
        using var registration = lifetime.Register(() => done.TrySetCanceled());
        await done.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }
}
