using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Runtime;
using V2V.Realtime.Diagnostics;
using V2V.Voice;
using V2V.Voice.Diagnostics;

namespace V2V.Load;

/// <summary>The figures of one run: N sessions of one bridge for a fixed time.</summary>
internal sealed record LoadResult(
    string Bridge, int Sessions, double Seconds,
    double ClientCpuMsPerAudioSecond, double ServerCpuMsPerAudioSecond, double ClientCorePercentPerSession,
    double AllocatedBytesPerAudioSecond, double ClientMemoryMiBPerSession, double ServerMemoryMiBPerSession,
    double InputP50Ms, double InputP99Ms, double OutputP50Ms, double OutputP99Ms, double TickLagP99Ms,
    long FramesIn, long FramesOut, long InputStalls, long FramesDroppedOverflow, long LateDeltasDropped,
    long Turns, long BargeIns, long Errors, double LoadAverage, string DropReasons = "",
    double ClientHeapMiBPerSession = double.NaN, string ErrorCodes = "",
    double ClientGcCommittedMiBPerSession = double.NaN, int ClientThreadsAdded = 0, double JitMsInWindow = double.NaN,
    double PoolItemsPerAudioSecond = double.NaN, double LockContentionsPerAudioSecond = double.NaN,
    double TickerCpuMsPerAudioSecond = double.NaN, double TickerSlotCpuP50Ms = double.NaN, double TickerSlotCpuP99Ms = double.NaN,
    double TickerSlotWallP50Ms = double.NaN, double TickerSlotWallP99Ms = double.NaN);

/// <summary>Runs N sessions of one bridge against a fresh simulator process and measures them.</summary>
internal static class LoadRunner
{
    private static readonly object DropGate = new();
    private static readonly Dictionary<string, long> Dropped = [];

    static LoadRunner()
    {
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == VoiceMetrics.MeterName && instrument.Name == "v2v.frames_dropped")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            var reason = "unknown";
            foreach (var tag in tags)
            {
                if (tag.Key == "reason")
                {
                    reason = tag.Value?.ToString() ?? reason;
                }
            }
            lock (DropGate)
            {
                Dropped[reason] = Dropped.GetValueOrDefault(reason) + value;
            }
        });
        listener.Start();
    }

    /// <summary>Users spread over the cycle (<c>--stagger</c>) instead of speaking on the same beat.</summary>
    public static bool Stagger { get; set; }

    public static async Task<LoadResult> RunAsync(string bridge, int sessions, TimeSpan duration, TimeSpan warmUp, short[] speech)
    {
        await using var server = await SimulatorProcess.StartAsync(speed: 1).ConfigureAwait(false);
        var baseUri = new Uri(server.RealtimeUri, "/");
        var stats = new LoadStats();
        if (bridge.StartsWith("v2v", StringComparison.Ordinal))
        {
            RealtimeProbe.Enable(
                (origin, sent) => stats.InputLatency.RecordTicks(sent - origin),
                (received, ready) => stats.OutputLatency.RecordTicks(ready - received));
        }
        ForceGc();
        var clientBaseline = Process.GetCurrentProcess().WorkingSet64;
        var heapBaseline = GC.GetTotalMemory(forceFullCollection: true);
        var committedBaseline = GC.GetGCMemoryInfo().TotalCommittedBytes;
        var threadsBaseline = Process.GetCurrentProcess().Threads.Count;
        var serverBaseline = server.WorkingSet;

        var all = new ILoadSession[sessions];
        using (var gate = new SemaphoreSlim(16))
        {
            var starts = Enumerable.Range(0, sessions).Select(async i =>
            {
                await gate.WaitAsync().ConfigureAwait(false);
                try
                {
                    // Users start at different points of the speech; with Stagger, at different points of the cycle too,
                    // as a crowd of callers does (without, they all speak and pause on the same beat: a worst case).
                    var script = new TurnScript(speech, offsetFrames: i * 37, cyclePhaseFrames: Stagger ? i * TurnScript.CycleFrames / sessions : 0);
                    all[i] = bridge switch
                    {
                        "v2v" => await OursSession.StartAsync(baseUri, script, stats).ConfigureAwait(false),
                        // Ours taken apart, to see where its CPU goes: the answers given out as they come (no pacing) ...
                        // ... paced the way it was before the 20 ms default (a hand-over to the reader every 5 ms) ...
                        "v2vtick5" => await OursSession.StartAsync(baseUri, script, stats, o => o.OutputPacingInterval = TimeSpan.FromMilliseconds(5)).ConfigureAwait(false),
                        "v2vunpaced" => await OursSession.StartAsync(baseUri, script, stats, o => o.PaceOutput = false).ConfigureAwait(false),
                        // ... and the input path alone: turns end by hand and never do, so no answer comes (nothing to read).
                        "v2vinput" => await OursSession.StartAsync(baseUri, script, stats, o => o.TurnMode = TurnMode.Manual).ConfigureAwait(false),
                        "none" => new HarnessOnlySession(script, stats),
                        "raw" => await RawSocketSession.StartAsync(server.RealtimeUri, script, stats).ConfigureAwait(false),
                        "rawdecode" => await RawSocketSession.StartAsync(server.RealtimeUri, script, stats, decode: true).ConfigureAwait(false),
                        "rawplay" => await RawSocketSession.StartAsync(server.RealtimeUri, script, stats, play: true).ConfigureAwait(false),
                        _ => await SdkSession.StartAsync(server.RealtimeUri, script, stats).ConfigureAwait(false),
                    };
                }
                finally
                {
                    gate.Release();
                }
            });
            await Task.WhenAll(starts).ConfigureAwait(false);
        }

        using var ticker = new Ticker(all, stats, releaseOutput: bridge is "openai" or "rawplay");
        // Warm up: JIT, pools and the first turns, then measure a window. The server is a fresh process each run,
        // and its JIT takes a while to settle: 11% of its CPU 10-18 s after the start, 1.6% at 26-34 s.
        await Task.Delay(warmUp).ConfigureAwait(false);
        stats.ResetWindow();
        long droppedOverflowBefore, lateBefore;
        lock (DropGate)
        {
            droppedOverflowBefore = Dropped.Where(d => d.Key is not ("cancelled_response" or "unknown_response" or "barge_in")).Sum(d => d.Value);
            lateBefore = Dropped.Where(d => d.Key is "cancelled_response" or "unknown_response" or "barge_in").Sum(d => d.Value);
        }
        long flushesBefore = Interlocked.Read(ref stats.Flushes), finalsBefore = Interlocked.Read(ref stats.AssistantFinals), errorsBefore = Interlocked.Read(ref stats.Errors);
        var process = Process.GetCurrentProcess();
        process.Refresh();
        var clientCpu0 = process.TotalProcessorTime;
        var serverCpu0 = server.TotalProcessorTime;
        var allocated0 = GC.GetTotalAllocatedBytes(precise: false);
        var started = Stopwatch.GetTimestamp();
        // The JIT's work in the window counts as the client's CPU: a bridge still tiering up is not measured warm.
        var jit0 = JitInfo.GetCompilationTime();
        // Hops between threads, counted: every continuation the thread pool runs, and every lock a thread had to wait for.
        var poolItems0 = ThreadPool.CompletedWorkItemCount;
        var contentions0 = Monitor.LockContentionCount;

        await Task.Delay(duration).ConfigureAwait(false);
        var jitMs = (JitInfo.GetCompilationTime() - jit0).TotalMilliseconds;
        var poolItems = ThreadPool.CompletedWorkItemCount - poolItems0;
        var contentions = Monitor.LockContentionCount - contentions0;

        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        process.Refresh();
        var clientCpu = (process.TotalProcessorTime - clientCpu0).TotalMilliseconds;
        var serverCpu = (server.TotalProcessorTime - serverCpu0).TotalMilliseconds;
        var allocated = GC.GetTotalAllocatedBytes(precise: false) - allocated0;
        var clientMemory = process.WorkingSet64 - clientBaseline;
        // What the working set is made of: the collector's committed memory (live objects, garbage not yet collected,
        // free space it keeps) and threads (a stack and the shared array pool's per-thread arrays each).
        var committed = GC.GetGCMemoryInfo().TotalCommittedBytes - committedBaseline;
        var threadsAdded = process.Threads.Count - threadsBaseline;
        var serverMemory = server.WorkingSet - serverBaseline;
        long droppedOverflow, late;
        string reasons;
        lock (DropGate)
        {
            droppedOverflow = Dropped.Where(d => d.Key is not ("cancelled_response" or "unknown_response" or "barge_in")).Sum(d => d.Value) - droppedOverflowBefore;
            late = Dropped.Where(d => d.Key is "cancelled_response" or "unknown_response" or "barge_in").Sum(d => d.Value) - lateBefore;
            reasons = string.Join(", ", Dropped.Select(d => $"{d.Key}={d.Value}"));
        }
        // Audio actually sent: a saturated machine sends less than N x seconds, and the cost is per audio second.
        var audioSeconds = Math.Max(1, Interlocked.Read(ref stats.FramesIn)) / 100.0;
        var load = double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        var result = new LoadResult(
            bridge, sessions, seconds,
            clientCpu / audioSeconds, serverCpu / audioSeconds, clientCpu / (seconds * 1000) / sessions * 100,
            allocated / audioSeconds, clientMemory / 1048576.0 / sessions, serverMemory / 1048576.0 / sessions,
            stats.InputLatency.PercentileMs(50), stats.InputLatency.PercentileMs(99), stats.OutputLatency.PercentileMs(50), stats.OutputLatency.PercentileMs(99),
            stats.TickLag.PercentileMs(99),
            Interlocked.Read(ref stats.FramesIn), Interlocked.Read(ref stats.FramesOut), Interlocked.Read(ref stats.InputStalls), droppedOverflow, late,
            Interlocked.Read(ref stats.AssistantFinals) - finalsBefore, Interlocked.Read(ref stats.Flushes) - flushesBefore, Interlocked.Read(ref stats.Errors) - errorsBefore, load, reasons);

        // What the sessions keep, live, after a full collection: the working set above also counts what the collector
        // has not given back yet (free space, budgets) and the runtime's own growth, so it moves with the machine.
        result = result with
        {
            ClientHeapMiBPerSession = (GC.GetTotalMemory(forceFullCollection: true) - heapBaseline) / 1048576.0 / sessions,
            ClientGcCommittedMiBPerSession = committed / 1048576.0 / sessions,
            ClientThreadsAdded = threadsAdded,
            JitMsInWindow = jitMs,
            PoolItemsPerAudioSecond = poolItems / audioSeconds,
            LockContentionsPerAudioSecond = contentions / audioSeconds,
            TickerCpuMsPerAudioSecond = ThreadCpuClock.IsAvailable ? Interlocked.Read(ref stats.TickerCpuNs) / 1e6 / audioSeconds : double.NaN,
            TickerSlotCpuP50Ms = stats.TickerSlotCpu.PercentileMs(50),
            TickerSlotCpuP99Ms = stats.TickerSlotCpu.PercentileMs(99),
            TickerSlotWallP50Ms = stats.TickerSlotWall.PercentileMs(50),
            TickerSlotWallP99Ms = stats.TickerSlotWall.PercentileMs(99),
            ErrorCodes = string.Join(", ", stats.ErrorCodes.Select(e => $"{e.Key}={e.Value}")),
        };
        ticker.Dispose();
        RealtimeProbe.Enable(null, null);
        await Task.WhenAll(all.Select(s => s.DisposeAsync().AsTask())).ConfigureAwait(false);
        return result;
    }

    public static void ForceGc()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        // Aggressive: the collector also gives back the memory it keeps committed. Without it, the bridge measured
        // second reused what the first had grown the process by, and its working set per session looked smaller.
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
    }
}
