namespace V2V.Voice.Connection;

/// <summary>
/// The one timer that asks the session to look at the renewal plan. Armed from two threads with plans read at
/// different moments: when a connection goes live or the service tells its session's <c>expires_at</c>, the plan is new
/// and replaces any look pending (<see cref="Replan"/>); after a look, the session's actor asks for the next one from
/// the plan it read a moment earlier, possibly before that <c>expires_at</c> came (the default age, 50 minutes), so
/// there the earliest look pending wins (<see cref="Arm"/>): a look too early only looks again, but a look pushed past
/// the service's end of the session let it end the connection (<c>session_expired</c>, seen in the chaos harness when
/// a stale look landed just after a reconnect). All waiting is on the given clock.
/// </summary>
internal sealed class RenewalTimer(TimeProvider time, Action due) : IDisposable
{
    private readonly Lock _gate = new();
    private ITimer? _timer;
    private DateTimeOffset? _pendingAt;
    private bool _disposed;

    /// <summary>When the next look is due (null when none is pending).</summary>
    public DateTimeOffset? PendingAt
    {
        get
        {
            lock (_gate)
            {
                return _pendingAt;
            }
        }
    }

    /// <summary>Asks for a look at <paramref name="at"/>, unless one is pending no later than that.</summary>
    public void Arm(DateTimeOffset at) => Set(at, replace: false);

    /// <summary>A new plan (a connection live, its expiry told): the look at <paramref name="at"/> replaces any pending.</summary>
    public void Replan(DateTimeOffset at) => Set(at, replace: true);

    private void Set(DateTimeOffset at, bool replace)
    {
        lock (_gate)
        {
            if (_disposed || (!replace && _pendingAt is { } pending && pending <= at))
            {
                return;
            }
            var wait = at - time.GetUtcNow();
            _timer?.Dispose();
            _pendingAt = at;
            _timer = time.CreateTimer(static state => ((RenewalTimer)state!).Fire(), this, wait < TimeSpan.Zero ? TimeSpan.Zero : wait, Timeout.InfiniteTimeSpan);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _pendingAt = null;
            _timer?.Dispose();
            _timer = null;
        }
    }

    private void Fire()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }
            // The look is made now: whatever it (or anyone) asks for next is armed, however late.
            _pendingAt = null;
        }
        due();
    }
}
