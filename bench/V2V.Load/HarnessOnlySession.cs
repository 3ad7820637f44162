namespace V2V.Load;

/// <summary>
/// The harness without a bridge (<c>--bridges none</c>): each tick takes the user's next frame and drops it.
/// What the client process spends on this (the ticker, the script, timers, the runtime) is the floor under both
/// bridges' client CPU, so a bridge's own cost is its figure minus this one.
/// </summary>
internal sealed class HarnessOnlySession(TurnScript script, LoadStats stats) : ILoadSession
{
    private long _index;

    public void Tick(long due)
    {
        _ = script.Frame(_index++);
        Interlocked.Increment(ref stats.FramesIn);
    }

    public void Release(long now)
    {
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
