using System.Net.WebSockets;
using Microsoft.Extensions.Logging;
using V2V.Simulator.Responses;

namespace V2V.Simulator.Session;

/// <summary>
/// The session's one lock. Every change of state and every send happens under it: a client event handled, a step
/// of a response, delayed work (a cancel taking effect, a transcription), the session's expiry. So events leave
/// in the order the state changed, and nothing of a response is sent after its <c>response.done</c>. Waiters are
/// served in the order they came (<see cref="SemaphoreSlim"/> queues them), which is the order the service keeps.
/// </summary>
internal sealed class SessionGate(ILogger logger, string sessionId, CancellationTokenSource session)
{
    private readonly SemaphoreSlim _semaphore = new(1, 1);

    public async Task RunAsync(Func<Task> action)
    {
        await _semaphore.WaitAsync(session.Token).ConfigureAwait(false);
        try
        {
            await action().ConfigureAwait(false);
        }
        finally
        {
            _semaphore.Release();
        }
    }

    /// <summary>Runs a step of <paramref name="response"/> unless it has ended meanwhile (cancel, barge-in); false when it had.</summary>
    public async Task<bool> RunWhileOpenAsync(ActiveResponse response, Func<Task> step)
    {
        var taken = false;
        await RunAsync(async () =>
        {
            if (!response.Finished)
            {
                taken = true;
                await step().ConfigureAwait(false);
            }
        }).ConfigureAwait(false);
        return taken;
    }

    /// <summary>
    /// Runs <paramref name="work"/> beside the session, outside the gate (what waits on another server: an MCP server's
    /// tool list), then <paramref name="then"/> with its result under the gate, unless the session has ended by then.
    /// </summary>
    public void RunWhenDone<T>(Func<CancellationToken, Task<T>> work, Func<T, Task> then)
    {
        _ = Task.Run(async () =>
        {
            try
            {
                var result = await work(session.Token).ConfigureAwait(false);
                await RunAsync(() => then(result)).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or WebSocketException or ObjectDisposedException)
            {
                // The session ended first, or the work was called off: nothing left to tell.
            }
            catch (Exception e)
            {
                logger.LogError(e, "Work of session {Session} failed", sessionId);
            }
        }, CancellationToken.None);
    }

    /// <summary>Runs <paramref name="action"/> under the gate after <paramref name="delay"/> (wall clock), unless the session has ended by then.</summary>
    public void RunLater(TimeSpan delay, Func<Task> action)
    {
        _ = Task.Run(async () =>
        {
            try
            {
                await Pacer.WaitAsync(delay, TimeProvider.System, session.Token).ConfigureAwait(false);
                await RunAsync(action).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or WebSocketException or ObjectDisposedException)
            {
                // The session ended first: nothing left to tell.
            }
            catch (Exception e)
            {
                logger.LogError(e, "Deferred work of session {Session} failed", sessionId);
            }
        }, CancellationToken.None);
    }
}
