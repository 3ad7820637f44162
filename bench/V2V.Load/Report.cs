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
        foreach (var r in results.Where(r => r.ErrorCodes.Length > 0))
        {
            Console.WriteLine($"errors of {r.Bridge} at {r.Sessions}: {r.ErrorCodes}");
        }
        Console.WriteLine();
    }
}
