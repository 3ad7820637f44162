using Microsoft.Extensions.Logging;
using V2V.Realtime.Protocol;
using V2V.Voice.Outputs;
using V2V.Voice.Session;

namespace V2V.Voice.Actor;

/// <summary>
/// The one loop that owns the conversation state: one entry of the <see cref="SessionInbox"/> at a time, control
/// first. Server events are handled on the connection reader's own thread when nothing else is in hand or queued
/// (no hop for most audio deltas). Whose turn it is to touch the state, the loop's or the reader's, is one
/// semaphore, so the state needs no other lock and fast-path work never overtakes work queued before it.
/// </summary>
internal sealed class SessionActor(SessionContext context, SessionInbox inbox, ServerLink link, ServerEventRouter router, Func<CancellationToken, ValueTask> beforeEachWork)
{
    private readonly SemaphoreSlim _turn = new(1, 1);
    private Task _loop = Task.CompletedTask;

    /// <summary>The loop's end (after the inbox completes or the lifetime ends).</summary>
    public Task Completion => _loop;

    public void Start() => _loop = Task.Run(RunAsync);

    /// <summary>A server event from the reader: handled at once when the actor is idle and nothing is queued, queued on the event lane otherwise.</summary>
    public async ValueTask DeliverAsync(int generation, RealtimeServerEvent serverEvent, CancellationToken ct)
    {
        var work = new ServerEventWork(generation, serverEvent);
        if (_turn.Wait(0))
        {
            try
            {
                if (inbox.IsEmpty && !inbox.IsStopped)
                {
                    await HandleAsync(work, ct).ConfigureAwait(false);
                    return;
                }
            }
            finally
            {
                _turn.Release();
            }
        }
        if (!await inbox.PostEventAsync(work, ct).ConfigureAwait(false))
        {
            (serverEvent as IDisposable)?.Dispose(); // stopping: nobody will read it
        }
    }

    private async Task RunAsync()
    {
        var ct = context.Lifetime;
        try
        {
            while (true)
            {
                var (done, work) = await inbox.TakeAsync(ct).ConfigureAwait(false);
                if (done)
                {
                    return;
                }
                await _turn.WaitAsync(ct).ConfigureAwait(false);
                try
                {
                    await HandleAsync(work!, ct).ConfigureAwait(false);
                }
                finally
                {
                    _turn.Release();
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    private async ValueTask HandleAsync(SessionWork work, CancellationToken ct)
    {
        try
        {
            await beforeEachWork(ct).ConfigureAwait(false);
            switch (work)
            {
                case ServerEventWork { Generation: var g, Event: var e } when g == link.Connection.Generation:
                    await router.HandleAsync(e, ct).ConfigureAwait(false);
                    break;
                case ServerEventWork stale:
                    // An event of a connection already replaced: its output must not leak into the new one.
                    (stale.Event as IDisposable)?.Dispose();
                    break;
                case ActionWork action:
                    await RunActionAsync(action, ct).ConfigureAwait(false);
                    break;
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // A bad event or a failed action never ends the session.
            context.Logger.LogWarning(ex, "Session work {Work} failed", work.GetType().Name);
            await context.EmitAsync(new ErrorOutput($"{work.GetType().Name} failed: {ex.Message}", null, Fatal: false), ct).ConfigureAwait(false);
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
}
