using Microsoft.Extensions.Logging;
using V2V.Realtime.Client;
using V2V.Realtime.Protocol;
using V2V.Voice.Actor;
using V2V.Voice.Outputs;

namespace V2V.Voice;

public sealed partial class VoiceSession
{
    private abstract record SessionWork;

    private sealed record ServerEventWork(int Generation, RealtimeServerEvent Event) : SessionWork;

    private sealed record ConnectionLostWork(Connection.ConnectionLoss Loss) : SessionWork;

    private sealed record ActionWork(Func<CancellationToken, ValueTask> Action, TaskCompletionSource? Done, string? Reason) : SessionWork;

    // Whose turn it is to touch the conversation state: the actor loop, or the reader of the live connection
    // on its fast path. One at a time, so the state needs no other lock.
    private readonly SemaphoreSlim _actorTurn = new(1, 1);

    /// <summary>
    /// Control lane: the caller's actions (interrupt, text, tools, user joined or left), the input path's turn events
    /// and barge-ins, tool outputs, timers; served first, so a barge-in never waits behind audio deltas. Event lane:
    /// the server's events and the loss of a connection, in order. A full lane makes its writer wait (for the event
    /// lane, the connection's reader: back-pressure on the socket); nothing is dropped.
    /// </summary>
    private readonly TwoLaneMailbox<SessionWork> _mailbox = new(controlCapacity: 256, eventCapacity: 1024);

    /// <summary>
    /// The one loop that owns the conversation state: one entry at a time, control first. It takes the turn before
    /// it handles an entry, so work handled on the reader's fast path can never overtake work queued before it.
    /// </summary>
    private async Task RunActorAsync()
    {
        var ct = _lifetime.Token;
        try
        {
            while (true)
            {
                var (done, work) = await _mailbox.TakeAsync(ct).ConfigureAwait(false);
                if (done)
                {
                    return;
                }
                await _actorTurn.WaitAsync(ct).ConfigureAwait(false);
                try
                {
                    await HandleWorkAsync(work!, ct).ConfigureAwait(false);
                }
                finally
                {
                    _actorTurn.Release();
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// A server event from the reader: handled on the reader's own thread when nothing else is in hand or
    /// queued (no hop to the actor for most audio deltas), queued on the event lane otherwise.
    /// </summary>
    private async ValueTask DeliverServerEventAsync(int generation, RealtimeServerEvent serverEvent, CancellationToken ct)
    {
        var work = new ServerEventWork(generation, serverEvent);
        if (_actorTurn.Wait(0))
        {
            try
            {
                if (_mailbox.IsEmpty && Volatile.Read(ref _stopped) == 0)
                {
                    await HandleWorkAsync(work, ct).ConfigureAwait(false);
                    return;
                }
            }
            finally
            {
                _actorTurn.Release();
            }
        }
        if (!await _mailbox.PostEventAsync(work, ct).ConfigureAwait(false))
        {
            (serverEvent as IDisposable)?.Dispose(); // stopping: nobody will read it
        }
    }

    private async ValueTask HandleWorkAsync(SessionWork work, CancellationToken ct)
    {
        TakeHeardTurns();
        try
        {
            switch (work)
            {
                case ServerEventWork { Generation: var g, Event: var e } when g == _connection.Generation:
                    await HandleServerEventAsync(e, ct).ConfigureAwait(false);
                    break;
                case ServerEventWork stale:
                    // An event of a connection already replaced: its output must not leak into the new one.
                    (stale.Event as IDisposable)?.Dispose();
                    break;
                case ConnectionLostWork lost:
                    await OnConnectionLostAsync(lost.Loss, ct).ConfigureAwait(false);
                    break;
                case ActionWork action:
                    await RunActionAsync(action, ct).ConfigureAwait(false);
                    break;
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // A bad event or a failed action never ends the session.
            _logger.LogWarning(ex, "Session work {Work} failed", work.GetType().Name);
            await EmitAsync(new ErrorOutput($"{work.GetType().Name} failed: {ex.Message}", null, Fatal: false), ct).ConfigureAwait(false);
        }
    }

    private static async ValueTask RunActionAsync(ActionWork action, CancellationToken ct)
    {
        try
        {
            await action.Action(ct).ConfigureAwait(false);
            action.Done?.TrySetResult();
        }
        catch (Exception ex)
        {
            if (action.Done is null)
            {
                throw;
            }
            action.Done.TrySetException(ex);
        }
    }

    /// <summary>Queues an action on the control lane without waiting for it to run (waits only while the lane is full).</summary>
    private async ValueTask PostAsync(Func<CancellationToken, ValueTask> action, string reason)
    {
        if (!await _mailbox.PostControlAsync(new ActionWork(action, null, reason), _lifetime.Token).ConfigureAwait(false))
        {
            _logger.LogDebug("Not queued, the session is stopping: {Reason}", reason);
        }
    }

    private ValueTask PostAsync(Func<string, CancellationToken, ValueTask> action, string reason) => PostAsync(ct => action(reason, ct), reason);

    /// <summary>Queues an action on the control lane and waits until it has run (its exception comes back here).</summary>
    private async Task PostAndWaitAsync(Func<CancellationToken, ValueTask> action, CancellationToken cancellationToken)
    {
        ThrowIfStopped();
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!await _mailbox.PostControlAsync(new ActionWork(action, done, null), cancellationToken).ConfigureAwait(false))
        {
            throw new ObjectDisposedException(nameof(VoiceSession), "The voice session has stopped.");
        }
        using var registration = _lifetime.Token.Register(() => done.TrySetCanceled());
        await done.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Gives an output to the reader, waiting while the reader is behind.</summary>
    private ValueTask EmitAsync(VoiceSessionOutput output, CancellationToken ct) =>
        _outputs.Writer.TryWrite(output) ? ValueTask.CompletedTask : _outputs.Writer.WriteAsync(output, ct);

    /// <summary>Sends a client event on the current connection; while disconnected it is dropped (the reconnect re-sends the configuration).</summary>
    private async ValueTask SendAsync(RealtimeClientEvent clientEvent, CancellationToken ct)
    {
        var client = _connection.Live;
        if (client is null || !client.IsOpen)
        {
            _logger.LogDebug("Not connected: {Type} not sent", clientEvent.Type);
            return;
        }
        try
        {
            await client.SendAsync(clientEvent, ct).ConfigureAwait(false);
        }
        catch (RealtimeException ex)
        {
            // The reader notices the broken connection too, and reconnects.
            _logger.LogDebug(ex, "{Type} not sent: the connection is closing", clientEvent.Type);
        }
    }
}
