namespace V2V.Simulator.Session;

/// <summary>
/// The session's maximum duration, as the services enforce it (60 minutes OpenAI, 30 Azure): <see cref="ExpiresAt"/>
/// is fixed when the session is created (and reported in <c>expires_at</c>); a timer on the options'
/// <see cref="TimeProvider"/> calls back once then, so tests can expire a session without waiting.
/// </summary>
internal sealed class SessionLifetime(TimeProvider clock, TimeSpan length) : IDisposable
{
    private ITimer? _timer;

    public TimeSpan Length => length;

    public DateTimeOffset ExpiresAt { get; } = clock.GetUtcNow() + length;

    /// <summary>Arms the expiry: <paramref name="expire"/> runs at <see cref="ExpiresAt"/> (at once if that has passed).</summary>
    public void Start(Func<Task> expire)
    {
        var due = ExpiresAt - clock.GetUtcNow();
        _timer = clock.CreateTimer(static state => _ = ((Func<Task>)state!)(), expire, due < TimeSpan.Zero ? TimeSpan.Zero : due, Timeout.InfiniteTimeSpan);
    }

    public void Dispose() => _timer?.Dispose();
}
