using System.Diagnostics;

namespace V2V.Load;

/// <summary>The figures of one <c>serve</c> run: what the nodes, and the balancer in front of them, cost per session.</summary>
internal sealed record ServeLoadResult(
    string Path, int Nodes, int Sessions, double Seconds,
    double NodeCpuMsPerAudioSecond, double NodeCorePercentPerSession, double NodeMemoryMiBPerSession, double NodeBaseMiB,
    double BalancerCpuMsPerAudioSecond, double BalancerMemoryMiB, double SimulatorCpuMsPerAudioSecond,
    long FramesIn, long FramesOut, long InputStalls, long Turns, long BargeIns, long Errors, string SessionsPerNode, double LoadAverage);

/// <summary>
/// <c>serve</c> mode: N users of the browser protocol against <c>v2v serve</c> nodes (processes of the built CLI), each
/// node's sessions talking to one simulator process (the stand-in for OpenAI, measured apart and not counted): either
/// one node directly, or K nodes behind HAProxy with deploy/scaleout/haproxy.cfg. Each process's CPU and memory are
/// read from the system, so a node's figure is everything a session costs it: graph, extension, voice session,
/// realtime connection, paced output.
/// </summary>
internal static class ServeLoadRunner
{
    public static async Task<ServeLoadResult> RunAsync(int nodeCount, bool balanced, int sessions, TimeSpan duration, TimeSpan warmUp, short[] speech)
    {
        await using var simulator = await SimulatorProcess.StartAsync(speed: 1).ConfigureAwait(false);
        var nodes = await Task.WhenAll(Enumerable.Range(0, nodeCount).Select(_ => ServeProcess.StartNodeAsync(new Uri(simulator.RealtimeUri, "/"), sessions))).ConfigureAwait(false);
        var balancer = balanced ? ServeProcess.StartBalancer(nodes) : null;
        try
        {
            // The balancer's first health checks (every second, rise 2) before it sends anything.
            await Task.Delay(balanced ? TimeSpan.FromSeconds(4) : TimeSpan.Zero).ConfigureAwait(false);
            var entry = balancer?.Address ?? nodes[0].Address;
            var baseMemory = nodes.Sum(n => n.WorkingSet);
            var stats = new LoadStats();
            var all = new PageSession[sessions];
            using (var gate = new SemaphoreSlim(8))
            {
                await Task.WhenAll(Enumerable.Range(0, sessions).Select(async i =>
                {
                    await gate.WaitAsync().ConfigureAwait(false);
                    try
                    {
                        all[i] = await PageSession.StartAsync(entry, new TurnScript(speech, offsetFrames: i * 37), stats).ConfigureAwait(false);
                    }
                    finally
                    {
                        gate.Release();
                    }
                })).ConfigureAwait(false);
            }
            var perNode = string.Join(" ", all.GroupBy(s => s.Node ?? "direct").OrderBy(g => g.Key).Select(g => $"{g.Key}={g.Count()}"));

            using var ticker = new Ticker(all, stats, releaseOutput: false);
            await Task.Delay(warmUp).ConfigureAwait(false);
            stats.ResetWindow();
            long finals0 = Interlocked.Read(ref stats.AssistantFinals), flushes0 = Interlocked.Read(ref stats.Flushes), errors0 = Interlocked.Read(ref stats.Errors);
            var nodeCpu0 = nodes.Sum(n => n.TotalProcessorTime.TotalMilliseconds);
            var balancerCpu0 = balancer?.TotalProcessorTime.TotalMilliseconds ?? 0;
            var simulatorCpu0 = simulator.TotalProcessorTime.TotalMilliseconds;
            var started = Stopwatch.GetTimestamp();

            await Task.Delay(duration).ConfigureAwait(false);

            var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            var nodeCpu = nodes.Sum(n => n.TotalProcessorTime.TotalMilliseconds) - nodeCpu0;
            var balancerCpu = (balancer?.TotalProcessorTime.TotalMilliseconds ?? 0) - balancerCpu0;
            var simulatorCpu = simulator.TotalProcessorTime.TotalMilliseconds - simulatorCpu0;
            var nodeMemory = nodes.Sum(n => n.WorkingSet) - baseMemory;
            var audioSeconds = Math.Max(1, Interlocked.Read(ref stats.FramesIn)) / 100.0;
            var load = double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
            var result = new ServeLoadResult(
                balanced ? "balancer" : "direct", nodeCount, sessions, seconds,
                nodeCpu / audioSeconds, nodeCpu / (seconds * 1000) / sessions * 100, nodeMemory / 1048576.0 / sessions, baseMemory / 1048576.0 / nodeCount,
                balancerCpu / audioSeconds, (balancer?.WorkingSet ?? 0) / 1048576.0, simulatorCpu / audioSeconds,
                Interlocked.Read(ref stats.FramesIn), Interlocked.Read(ref stats.FramesOut), Interlocked.Read(ref stats.InputStalls),
                Interlocked.Read(ref stats.AssistantFinals) - finals0, Interlocked.Read(ref stats.Flushes) - flushes0, Interlocked.Read(ref stats.Errors) - errors0,
                perNode, load);
            ticker.Dispose();
            await Task.WhenAll(all.Where(s => s is not null).Select(s => s.DisposeAsync().AsTask())).ConfigureAwait(false);
            return result;
        }
        finally
        {
            if (balancer is not null)
            {
                await balancer.DisposeAsync().ConfigureAwait(false);
            }
            foreach (var node in nodes)
            {
                await node.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    public static void Print(IEnumerable<ServeLoadResult> results)
    {
        Console.WriteLine();
        Console.WriteLine("| path | nodes | sessions | node CPU ms per audio s | node core % per session | node MiB per session | node MiB at rest | balancer CPU ms per audio s | balancer MiB | simulator CPU ms per audio s (not counted) | turns | barge-ins | errors | stalls | sessions per node | load |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|");
        foreach (var r in results)
        {
            Console.WriteLine($"| {r.Path} | {r.Nodes} | {r.Sessions} | {r.NodeCpuMsPerAudioSecond:F2} | {r.NodeCorePercentPerSession:F2} | {r.NodeMemoryMiBPerSession:F2} | {r.NodeBaseMiB:F0} | {r.BalancerCpuMsPerAudioSecond:F3} | {r.BalancerMemoryMiB:F0} | {r.SimulatorCpuMsPerAudioSecond:F2} | {r.Turns} | {r.BargeIns} | {r.Errors} | {r.InputStalls} | {r.SessionsPerNode} | {r.LoadAverage:F1} |");
        }
    }
}
