namespace V2V.Playground.Hosting;

/// <summary>
/// Who may start a session on this node: at most <c>capacity</c> at once, and none once the node drains. The drain is
/// two moments: it begins (readiness goes false, new sessions are refused, live ones are told) and, at its deadline,
/// the sessions still running are ended gracefully. Admission takes a small lock, once per session, never on the audio path.
/// </summary>
internal sealed class SessionGate(int capacity)
{
    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _draining = new();
    private readonly CancellationTokenSource _deadline = new();
    private TaskCompletionSource? _empty;
    private int _live;

    /// <summary>Sessions at most at once.</summary>
    public int Capacity => capacity;

    /// <summary>Sessions running now.</summary>
    public int Live => Volatile.Read(ref _live);

    /// <summary>True once the drain has begun: no new session is admitted any more.</summary>
    public bool IsDraining => _draining.IsCancellationRequested;

    /// <summary>Cancelled when the drain begins: a live session tells its page.</summary>
    public CancellationToken Draining => _draining.Token;

    /// <summary>Cancelled at the drain's deadline: a live session ends now, gracefully (its graph stopped, its page told).</summary>
    public CancellationToken Deadline => _deadline.Token;

    /// <summary>Admits a session, or says why not (<c>draining</c> or <c>full</c>); an admitted one must be <see cref="Leave"/>d.</summary>
    public bool TryEnter(out string? refusal)
    {
        lock (_lock)
        {
            refusal = IsDraining ? "draining" : _live >= capacity ? "full" : null;
            if (refusal is null)
            {
                _live++;
            }
            return refusal is null;
        }
    }

    /// <summary>An admitted session has ended.</summary>
    public void Leave()
    {
        lock (_lock)
        {
            if (--_live == 0)
            {
                _empty?.TrySetResult();
            }
        }
    }

    /// <summary>How long live sessions were given when the drain began; null before.</summary>
    public TimeSpan? DrainTimeout { get; private set; }

    /// <summary>Begins the drain (once; later calls change nothing) and returns when no session is left.</summary>
    public Task BeginDrainAsync(TimeSpan timeout)
    {
        lock (_lock)
        {
            DrainTimeout ??= timeout;
            _empty ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            if (_live == 0)
            {
                _empty.TrySetResult();
            }
        }
        // Outside the lock: the callbacks (pages told) run here, and one of them could leave at once.
        _draining.Cancel();
        return _empty.Task;
    }

    /// <summary>The deadline has come: the sessions still running end now.</summary>
    public void EndRemaining() => _deadline.Cancel();
}
