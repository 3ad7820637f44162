namespace V2V.Load;

/// <summary>What all sessions of one run add up to: latency histograms and counters.</summary>
internal sealed class LoadStats
{
    public Histogram InputLatency { get; } = new();
    public Histogram OutputLatency { get; } = new();
    public Histogram TickLag { get; } = new();
    /// <summary>The ticker's own CPU per slot (its sessions' input work), and the slot's wall time: the difference is
    /// the time the ticker was runnable but not running, or blocked, inside its slot.</summary>
    public Histogram TickerSlotCpu { get; } = new();
    public Histogram TickerSlotWall { get; } = new();
    public long TickerCpuNs;
    public long FramesIn;
    public long InputStalls;
    public long FramesOut;
    public long Flushes;
    public long AssistantFinals;
    public long AssistantInterrupted;
    public long Errors;
    public long Connects;

    /// <summary>The errors the bridges saw, by the server's code (or the output's message), so a count can be explained.</summary>
    public System.Collections.Concurrent.ConcurrentDictionary<string, long> ErrorCodes { get; } = new();

    public void CountError(string code)
    {
        Interlocked.Increment(ref Errors);
        ErrorCodes.AddOrUpdate(code, 1, static (_, n) => n + 1);
    }

    public void ResetWindow()
    {
        InputLatency.Reset();
        OutputLatency.Reset();
        TickLag.Reset();
        TickerSlotCpu.Reset();
        TickerSlotWall.Reset();
        Interlocked.Exchange(ref TickerCpuNs, 0);
        Interlocked.Exchange(ref FramesIn, 0);
        Interlocked.Exchange(ref InputStalls, 0);
        Interlocked.Exchange(ref FramesOut, 0);
    }
}

/// <summary>One user talking through one bridge (ours or the OpenAI SDK's), fed by the shared ticker.</summary>
internal interface ILoadSession : IAsyncDisposable
{
    /// <summary>Sends the next 10 ms frame. Called by the ticker thread, never concurrently for one session.</summary>
    /// <param name="due">When the frame was due (Stopwatch ticks): the added latency counts from here.</param>
    void Tick(long due);

    /// <summary>Releases paced output due by <paramref name="now"/> (SDK bridge; ours has its own pacer).</summary>
    void Release(long now);
}
