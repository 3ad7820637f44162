namespace V2V.Load;

internal static class Report
{
    public static void PrintLoad(IReadOnlyList<LoadResult> results)
    {
        Console.WriteLine();
        Console.WriteLine("| bridge | N | client CPU ms/audio s | % core/session | server CPU ms/audio s | alloc KB/audio s | client MiB/session | client heap MiB/session | server MiB/session | frame due -> on socket p50/p99 ms | delta received -> frames queued p50/p99 ms | frames in/out | dropped (overflow, slow reader) | dropped by design (barge-in flush, late deltas) | answers completed / flushes | input stalls | ticker lag p99 ms | load avg |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in results)
        {
            Console.WriteLine(
                $"| {r.Bridge} | {r.Sessions} | {r.ClientCpuMsPerAudioSecond:F2} | {r.ClientCorePercentPerSession:F3} | {r.ServerCpuMsPerAudioSecond:F2} | {r.AllocatedBytesPerAudioSecond / 1024:F1} | " +
                $"{r.ClientMemoryMiBPerSession:F2} | {r.ClientHeapMiBPerSession:F2} | {r.ServerMemoryMiBPerSession:F2} | {r.InputP50Ms:F3} / {r.InputP99Ms:F3} | {r.OutputP50Ms:F3} / {r.OutputP99Ms:F3} | " +
                $"{r.FramesIn} / {r.FramesOut} | {r.FramesDroppedOverflow} | {r.LateDeltasDropped} | {r.Turns} / {r.BargeIns} | {r.InputStalls} | {r.TickLagP99Ms:F2} | {r.LoadAverage:F2} |");
        }
        foreach (var r in results)
        {
            Console.WriteLine($"memory of {r.Bridge} at {r.Sessions}, per session: working set {r.ClientMemoryMiBPerSession:F2} MiB, GC committed {r.ClientGcCommittedMiBPerSession:F2} MiB, live heap {r.ClientHeapMiBPerSession:F2} MiB; threads added {r.ClientThreadsAdded}");
        }
        foreach (var r in results)
        {
            // The JIT's share of the client's CPU in the window: above a few percent the bridge was not yet warm.
            var share = r.JitMsInWindow / (r.ClientCpuMsPerAudioSecond * r.FramesIn / 100.0);
            Console.WriteLine($"JIT of {r.Bridge} at {r.Sessions} in the window: {r.JitMsInWindow:F0} ms, {share:P1} of the client's CPU{(share > 0.02 ? " (not warm yet: a longer --warmup or a later round is the fair figure)" : "")}");
        }
        foreach (var r in results)
        {
            // Hops: thread-pool work items (continuations, mostly) and contended locks, per audio second and per frame out.
            var perFrame = r.FramesOut > 0 ? $", {r.PoolItemsPerAudioSecond * r.FramesIn / 100.0 / r.FramesOut:F2} per frame out" : "";
            Console.WriteLine($"hops of {r.Bridge} at {r.Sessions}: {r.PoolItemsPerAudioSecond:F1} thread-pool items per audio s{perFrame}; {r.LockContentionsPerAudioSecond:F2} contended locks per audio s");
        }
        foreach (var r in results.Where(r => !double.IsNaN(r.TickerCpuMsPerAudioSecond)))
        {
            // The input side alone: the ticker thread runs every session's input (resample, append, socket send). Its own
            // CPU against its slots' wall time tells work from waiting for a core.
            Console.WriteLine($"ticker of {r.Bridge} at {r.Sessions}: its own CPU {r.TickerCpuMsPerAudioSecond:F2} ms per audio s ({r.TickerCpuMsPerAudioSecond / r.ClientCpuMsPerAudioSecond:P0} of the client's); per slot of {r.Sessions / Ticker.Slots} sessions CPU p50/p99 {r.TickerSlotCpuP50Ms * 1000:F0}/{r.TickerSlotCpuP99Ms * 1000:F0} us, wall p50/p99 {r.TickerSlotWallP50Ms * 1000:F0}/{r.TickerSlotWallP99Ms * 1000:F0} us");
        }
        foreach (var r in results.Where(r => r.ErrorCodes.Length > 0))
        {
            Console.WriteLine($"errors of {r.Bridge} at {r.Sessions}: {r.ErrorCodes}");
        }
        Console.WriteLine();
    }

    /// <summary>
    /// Each bridge's client CPU against each other bridge's in the same round (the bridges ran in turn), and the median
    /// of the rounds: a ratio read within a round is what survives the machine's drift, which moves every bridge alike.
    /// </summary>
    public static void PrintRatios(IReadOnlyList<LoadResult> results, IReadOnlyList<string> bridges, int rounds)
    {
        foreach (var group in results.GroupBy(r => r.Sessions))
        {
            var runs = group.ToList();
            Console.WriteLine($"client CPU ratios at {group.Key} sessions, per round (the bridges in turn) and the median of {rounds} rounds:");
            Console.WriteLine("| ratio | " + string.Join(" | ", Enumerable.Range(1, rounds).Select(r => $"round {r}")) + " | median |");
            Console.WriteLine("|---|" + string.Concat(Enumerable.Repeat("---:|", rounds + 1)));
            // Against the floors (raw, rawdecode, none) when there are some, else every pair.
            var floors = bridges.Where(b => b.StartsWith("raw", StringComparison.Ordinal) || b == "none").ToList();
            foreach (var over in floors.Count > 0 ? bridges.Except(floors) : bridges)
            {
                foreach (var under in (floors.Count > 0 ? floors : bridges).Where(b => b != over))
                {
                    var ratios = Enumerable.Range(0, rounds).Select(round => CpuOf(runs, over, round) / CpuOf(runs, under, round)).ToList();
                    Console.WriteLine($"| {over} / {under} | " + string.Join(" | ", ratios.Select(r => $"{r:F2}x")) + $" | {Median(ratios):F2}x |");
                }
            }
            Console.WriteLine();
        }
    }

    private static double CpuOf(List<LoadResult> runs, string bridge, int round) =>
        runs.Where(r => r.Bridge == bridge).ElementAt(round).ClientCpuMsPerAudioSecond;

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
