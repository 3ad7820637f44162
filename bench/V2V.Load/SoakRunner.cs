using System.Diagnostics;
using V2V.Voice.Outputs;

namespace V2V.Load;

/// <summary>
/// One session through a long stretch of simulated time: the simulator at SpeedFactor <c>speed</c>, the user's
/// audio fed <c>speed</c> times faster than real time, output unpaced; turns every 4.5 s and a barge-in every
/// 9 s of audio (<see cref="TurnScript"/>). Every simulated minute: GC heap after a full collection, working set, open file descriptors,
/// threads, thread-pool queue, timers. Flat figures = no leak of memory, handles or tasks.
/// </summary>
internal static class SoakRunner
{
    // What each open descriptor is, by kind (socket, pipe, anon_inode:[eventpoll], a file path).
    private static List<string> OpenFiles()
    {
        var kinds = new List<string>();
        foreach (var fd in Directory.GetFiles("/proc/self/fd"))
        {
            try
            {
                var target = new FileInfo(fd).LinkTarget ?? "?";
                var bracket = target.IndexOf(":[", StringComparison.Ordinal);
                kinds.Add(target.StartsWith("socket:", StringComparison.Ordinal) || target.StartsWith("pipe:", StringComparison.Ordinal) ? target[..bracket] : target);
            }
            catch (IOException)
            {
            }
        }
        return kinds;
    }

    public static async Task RunAsync(double minutes, double speed)
    {
        await using var server = await SimulatorProcess.StartAsync(speed).ConfigureAwait(false);
        var stats = new LoadStats();
        var script = new TurnScript(SpeechSignal.Make(30), offsetFrames: 0);
        var session = await OursSession.StartAsync(new Uri(server.RealtimeUri, "/"), script, stats, o => o.PaceOutput = false).ConfigureAwait(false);
        var samples = new List<(double Minute, double Wall, long Heap, long WorkingSet, int Fds, int Threads, long Pending, long Timers, long Finals, long Flushes, long FramesOut)>();
        var totalFrames = (long)(minutes * 60 * 100);
        var started = Stopwatch.GetTimestamp();
        long sent = 0;
        var nextSample = 0L;
        var process = Process.GetCurrentProcess();
        var cpu0 = process.TotalProcessorTime;
        var serverCpu0 = server.TotalProcessorTime;
        while (sent < totalFrames)
        {
            // Audio time may run ahead of wall time by the speed factor, no more.
            var due = (long)(Stopwatch.GetElapsedTime(started).TotalSeconds * speed * 100);
            while (sent < Math.Min(due, totalFrames))
            {
                session.Tick(Stopwatch.GetTimestamp());
                sent++;
                if (sent >= nextSample)
                {
                    LoadRunner.ForceGc();
                    process.Refresh();
                    samples.Add((sent / 6000.0, Stopwatch.GetElapsedTime(started).TotalSeconds, GC.GetTotalMemory(false), process.WorkingSet64,
                        Directory.GetFiles("/proc/self/fd").Length, process.Threads.Count, ThreadPool.PendingWorkItemCount, Timer.ActiveCount,
                        Interlocked.Read(ref stats.AssistantFinals), Interlocked.Read(ref stats.Flushes), Interlocked.Read(ref stats.FramesOut)));
                    nextSample += 6000;
                }
            }
            Thread.Sleep(1);
        }
        var wall = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var fdsBefore = OpenFiles();
        await Task.Delay(2000).ConfigureAwait(false);
        process.Refresh();
        var cpu = (process.TotalProcessorTime - cpu0).TotalSeconds;
        var serverCpu = (server.TotalProcessorTime - serverCpu0).TotalSeconds;
        await session.DisposeAsync().ConfigureAwait(false);
        LoadRunner.ForceGc();
        await Task.Delay(500).ConfigureAwait(false);
        process.Refresh();
        var afterDispose = (Heap: GC.GetTotalMemory(true), Fds: Directory.GetFiles("/proc/self/fd").Length, Threads: process.Threads.Count, Timers: Timer.ActiveCount);

        var fdsAfter = OpenFiles();
        Console.WriteLine();
        var changed = fdsBefore.Concat(fdsAfter).Distinct()
            .Select(kind => (kind, Before: fdsBefore.Count(f => f == kind), After: fdsAfter.Count(f => f == kind)))
            .Where(k => k.Before != k.After)
            .Select(k => $"{k.kind}: {k.Before} -> {k.After}");
        Console.WriteLine($"open descriptors, end of the hour -> after dispose: {fdsBefore.Count} -> {fdsAfter.Count} ({string.Join(", ", changed)})");
        Console.WriteLine();
        Console.WriteLine($"{minutes} min of audio at {speed}x: {wall:F1} s of wall time; client CPU {cpu:F1} s, server CPU {serverCpu:F1} s; input stalls {stats.InputStalls}, errors {stats.Errors}");
        Console.WriteLine();
        Console.WriteLine("| audio min | wall s | GC heap MiB | working set MiB | open fds | threads | pool queue | timers | answers completed | flushes (barge-ins) | frames out |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var s in samples.Where((s, i) => i % 5 == 0 || i == samples.Count - 1))
        {
            Console.WriteLine($"| {s.Minute:F0} | {s.Wall:F1} | {s.Heap / 1048576.0:F2} | {s.WorkingSet / 1048576.0:F1} | {s.Fds} | {s.Threads} | {s.Pending} | {s.Timers} | {s.Finals} | {s.Flushes} | {s.FramesOut} |");
        }
        Console.WriteLine($"| after dispose | | {afterDispose.Heap / 1048576.0:F2} | | {afterDispose.Fds} | {afterDispose.Threads} | | {afterDispose.Timers} | | | |");
        var later = samples.Skip(samples.Count / 4).ToList();
        if (later.Count >= 2)
        {
            var heapGrowth = (later[^1].Heap - later[0].Heap) / 1048576.0 / (later[^1].Minute - later[0].Minute) * 60;
            Console.WriteLine();
            Console.WriteLine($"GC heap from minute {later[0].Minute:F0} to {later[^1].Minute:F0}: {later[0].Heap / 1048576.0:F2} -> {later[^1].Heap / 1048576.0:F2} MiB ({heapGrowth:+0.00;-0.00} MiB per audio hour); " +
                $"fds {later.Min(s => s.Fds)}..{later.Max(s => s.Fds)}, threads {later.Min(s => s.Threads)}..{later.Max(s => s.Threads)}, timers {later.Min(s => s.Timers)}..{later.Max(s => s.Timers)}");
        }
    }
}
