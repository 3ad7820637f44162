namespace V2V.Graph.Hosting;

/// <summary>
/// Whether messages are flowing: the count of messages queued or being handled and the time of the last
/// change. Idle detection reads it; the message path updates it with two interlocked operations and a timestamp.
/// </summary>
internal sealed class GraphActivity(TimeProvider time)
{
    private long _inFlight;
    private long _lastChange = time.GetTimestamp();

    public TimeProvider Time { get; } = time;

    /// <summary>False during init: a cmd sent then would wait for an actor that is not running yet.</summary>
    public bool SendingAllowed { get; set; }

    public long InFlight => Volatile.Read(ref _inFlight);

    public TimeSpan Quiet => Time.GetElapsedTime(Volatile.Read(ref _lastChange));

    public void Begin()
    {
        Interlocked.Increment(ref _inFlight);
        Volatile.Write(ref _lastChange, Time.GetTimestamp());
    }

    public void End()
    {
        Interlocked.Decrement(ref _inFlight);
        Volatile.Write(ref _lastChange, Time.GetTimestamp());
    }
}
