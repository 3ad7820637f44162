namespace V2V.AspNetCore;

/// <summary>The sessions an endpoint runs at once, at most <c>max</c>: one more is refused, not queued.</summary>
internal sealed class SessionSlots(int max)
{
    private int _taken;

    public int Taken => Volatile.Read(ref _taken);

    public bool TryTake()
    {
        if (Interlocked.Increment(ref _taken) <= max)
        {
            return true;
        }
        Interlocked.Decrement(ref _taken);
        return false;
    }

    public void Give() => Interlocked.Decrement(ref _taken);
}
