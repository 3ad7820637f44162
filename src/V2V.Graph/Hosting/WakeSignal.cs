using System.Threading.Tasks.Sources;

namespace V2V.Graph.Hosting;

/// <summary>
/// Wakes one loop (a socket writer, an extension's actor) when there is work: any thread <see cref="Set"/>s it, and
/// the loop alone awaits <see cref="WaitAsync"/> whenever it finds nothing to do. Sets while the loop is busy collapse
/// into one wake-up (the loop looks at all its queues before it waits again), and a set before the wait makes the wait
/// return at once, so no wake-up is lost. One reusable awaitable: a loop that waits 50 times a second per call
/// allocates nothing for it (a <see cref="SemaphoreSlim"/> wait allocated one to four objects each time). The loop's
/// continuation runs on the thread pool, never on the setter's thread (the voice's pacer, another extension).
/// </summary>
internal sealed class WakeSignal : IValueTaskSource
{
    private readonly Lock _gate = new();
    private ManualResetValueTaskSourceCore<bool> _core = new() { RunContinuationsAsynchronously = true };
    private bool _set;
    private bool _waiting;

    /// <summary>Wakes the loop (now, or at its next wait).</summary>
    public void Set()
    {
        lock (_gate)
        {
            if (!_waiting)
            {
                _set = true;
                return;
            }
            _waiting = false;
        }
        _core.SetResult(true);
    }

    /// <summary>Returns when set since the last wait returned; one waiter at a time, each wait awaited before the next.</summary>
    public ValueTask WaitAsync()
    {
        lock (_gate)
        {
            if (_set)
            {
                _set = false;
                return ValueTask.CompletedTask;
            }
            _core.Reset(); // the last wait's result was taken by its await
            _waiting = true;
            return new ValueTask(this, _core.Version);
        }
    }

    void IValueTaskSource.GetResult(short token) => _core.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _core.GetStatus(token);

    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);
}
