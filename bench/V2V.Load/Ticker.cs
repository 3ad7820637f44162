using System.Diagnostics;

namespace V2V.Load;

/// <summary>
/// Real-time input for every session from one thread: every 10 ms each session sends its next frame. The
/// sessions are spread over five 2 ms slots so that 500 sessions are not one burst. How late each slot starts
/// is recorded, and what each slot cost: the ticker thread's own CPU and the slot's wall time. Added input latency
/// counts from when a frame was due, so a bridge whose sends hold up the caller (the ticker thread) pays for the
/// frames it delays. A second loop, every 5 ms, releases the SDK bridge's paced output (ours has its own pacer).
/// </summary>
internal sealed class Ticker : IDisposable
{
    /// <summary>Slots per 10 ms: each session is in one, so a slot holds a fifth of the sessions.</summary>
    public const int Slots = 5;
    private readonly ILoadSession[] _sessions;
    private readonly LoadStats _stats;
    private readonly Thread _input;
    private readonly Thread _output;
    private volatile bool _stop;

    public Ticker(IReadOnlyList<ILoadSession> sessions, LoadStats stats, bool releaseOutput)
    {
        _sessions = [.. sessions];
        _stats = stats;
        _input = new Thread(RunInput) { IsBackground = true, Name = "load ticker", Priority = ThreadPriority.AboveNormal };
        _output = new Thread(RunOutput) { IsBackground = true, Name = "sdk pacer", Priority = ThreadPriority.AboveNormal };
        _input.Start();
        if (releaseOutput)
        {
            _output.Start();
        }
    }

    private void RunInput()
    {
        long slotTicks = Stopwatch.Frequency / 100 / Slots;
        long next = Stopwatch.GetTimestamp();
        int slot = 0;
        while (!_stop)
        {
            var now = Stopwatch.GetTimestamp();
            if (now < next)
            {
                // Sleep, never spin: the harness's own CPU counts as the client's.
                Thread.Sleep((int)Math.Max(1, (next - now) * 1000 / Stopwatch.Frequency));
                continue;
            }
            _stats.TickLag.RecordTicks(now - next);
            var cpu0 = ThreadCpuClock.NowNs();
            for (int i = slot; i < _sessions.Length; i += Slots)
            {
                _sessions[i].Tick(next);
            }
            var cpuNs = ThreadCpuClock.NowNs() - cpu0;
            _stats.TickerSlotWall.RecordTicks(Stopwatch.GetTimestamp() - now);
            _stats.TickerSlotCpu.Record(cpuNs / 1000.0);
            Interlocked.Add(ref _stats.TickerCpuNs, cpuNs);
            slot = (slot + 1) % Slots;
            next += slotTicks;
        }
    }

    private void RunOutput()
    {
        long tick = Stopwatch.Frequency / 200;
        long next = Stopwatch.GetTimestamp();
        while (!_stop)
        {
            var now = Stopwatch.GetTimestamp();
            foreach (var session in _sessions)
            {
                session.Release(now);
            }
            next += tick;
            var wait = (next - Stopwatch.GetTimestamp()) * 1000 / Stopwatch.Frequency;
            if (wait > 0)
            {
                Thread.Sleep((int)wait);
            }
            else
            {
                next = Stopwatch.GetTimestamp();
            }
        }
    }

    public void Dispose()
    {
        _stop = true;
        _input.Join();
        if (_output.IsAlive)
        {
            _output.Join();
        }
    }
}
