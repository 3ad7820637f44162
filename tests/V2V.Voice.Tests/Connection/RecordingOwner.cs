using System.Collections.Concurrent;
using V2V.Realtime.Client;
using V2V.Realtime.Protocol;
using V2V.Voice.Connection;

namespace V2V.Voice.Tests.Connection;

/// <summary>
/// The session's side of the connection stage, reduced to a record of what the stage told it: configurations,
/// live connections, events, losses, the outcome of each reconnect, renewal calls.
/// </summary>
internal sealed class RecordingOwner : IConnectionOwner
{
    public ConcurrentQueue<bool> Configured { get; } = new();

    public ConcurrentQueue<string> Connected { get; } = new();

    public ConcurrentQueue<string> Events { get; } = new();

    public ConcurrentQueue<ConnectionLoss> Losses { get; } = new();

    /// <summary>The fatal errors the session would end with: at the loss, or as the outcome of a reconnect.</summary>
    public ConcurrentQueue<string> Fatal { get; } = new();

    public ConcurrentQueue<string> Reconnected { get; } = new();

    /// <summary>When set, a loss is recorded but the session parks only at <see cref="ReleaseLosses"/> (an actor busy, e.g. renewing).</summary>
    public bool HoldLosses { get; set; }

    private readonly ConcurrentQueue<TaskCompletionSource> _held = new();

    /// <summary>The session, no longer busy, parks for each loss held.</summary>
    public void ReleaseLosses()
    {
        while (_held.TryDequeue(out var parked))
        {
            parked.TrySetResult();
        }
    }

    public int RenewalCalls => Volatile.Read(ref _renewalCalls);

    private int _renewalCalls;

    public Task ConfigureAsync(IRealtimeConnection client, bool replay, CancellationToken ct)
    {
        Configured.Enqueue(replay);
        if (FailNextConfigure is { } failure)
        {
            FailNextConfigure = null;
            return Task.FromException(failure);
        }
        return Task.CompletedTask;
    }

    /// <summary>How many connections went live.</summary>
    public int WentLiveCount => Volatile.Read(ref _wentLive);

    private int _wentLive;

    /// <summary>When set, the next configuration fails with it (after the session set the connection up, as a loss then would).</summary>
    public Exception? FailNextConfigure { get; set; }

    public void WentLive(V2V.Voice.Input.ReplayedTurn replayed) => Interlocked.Increment(ref _wentLive);

    public ValueTask ConnectedAsync(string endpoint, CancellationToken ct)
    {
        Connected.Enqueue(endpoint);
        return default;
    }

    public ValueTask DeliverAsync(int generation, RealtimeServerEvent serverEvent, CancellationToken ct)
    {
        Events.Enqueue(serverEvent.Type);
        (serverEvent as IDisposable)?.Dispose();
        return default;
    }

    public ValueTask<bool> ConnectionLostAsync(ConnectionLoss loss, CancellationToken ct)
    {
        Losses.Enqueue(loss);
        if (loss.FatalError is { } fatal)
        {
            Fatal.Enqueue(fatal);
        }
        if (HoldLosses)
        {
            _held.Enqueue(loss.Parked);
        }
        else
        {
            loss.Parked.TrySetResult();
        }
        _ = loss.Outcome.ContinueWith(t =>
        {
            if (t.IsCompletedSuccessfully)
            {
                if (t.Result is { } failure)
                {
                    Fatal.Enqueue(failure);
                }
                else
                {
                    Reconnected.Enqueue("reconnected");
                }
            }
        }, TaskScheduler.Default);
        return ValueTask.FromResult(true);
    }

    public void RenewalDue() => Interlocked.Increment(ref _renewalCalls);
}
