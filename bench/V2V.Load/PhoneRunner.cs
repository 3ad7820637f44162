using System.Diagnostics;
using Microsoft.Extensions.Logging;
using V2V.Playground;

namespace V2V.Load;

/// <summary>The figures of one phone run: N concurrent calls for a fixed time.</summary>
internal sealed record PhoneResult(
    int Calls, double Seconds, double CpuMsPerCallSecond, double CorePercentPerCall, double SimulatorCpuMsPerCallSecond,
    double MemoryMiBPerCall, double HeapMiBPerCall, double AllocatedKBPerCallSecond,
    long MediaIn, long MediaPlayed, long MarksEchoed, long Clears, long SendStalls, long Errors, double LoadAverage);

/// <summary>
/// Calls per core, measured: a playground in this process (the product: <c>/media-stream</c>, one graph and one
/// realtime connection per call) and N scripted Twilio callers (<see cref="PhoneCaller"/>) against it, the local
/// realtime server in a process of its own, pacing its answers in real time. This process's CPU is the playground's
/// and the callers' together (the callers do little: a 160-byte message out and in per 20 ms, parsed without a DOM).
/// </summary>
internal static class PhoneRunner
{
    public static async Task<PhoneResult> RunAsync(int calls, TimeSpan duration, TimeSpan warmUp, short[] speech)
    {
        await using var server = await SimulatorProcess.StartAsync(speed: 1).ConfigureAwait(false);
        var options = new PlaygroundOptions { LoggerFactory = Loggers() };
        options.Urls.Add("http://127.0.0.1:0");
        options.Environment = name => name == "OPENAI_API_KEY" ? null : Environment.GetEnvironmentVariable(name);
        options.ExtensionProperties["base_uri"] = new Uri(server.RealtimeUri, "/").ToString();
        options.ExtensionProperties["greet_on_join"] = false;
        options.Telephony.MaxCalls = calls;
        await using var playground = await PlaygroundServer.StartAsync(options).ConfigureAwait(false);
        LoadRunner.ForceGc();
        var process = Process.GetCurrentProcess();
        process.Refresh();
        var memory0 = process.WorkingSet64;
        var heap0 = GC.GetTotalMemory(forceFullCollection: true);

        var stats = new LoadStats();
        var all = new PhoneCaller[calls];
        using (var gate = new SemaphoreSlim(16))
        {
            await Task.WhenAll(Enumerable.Range(0, calls).Select(async i =>
            {
                await gate.WaitAsync().ConfigureAwait(false);
                try
                {
                    all[i] = await PhoneCaller.StartAsync(playground.Addresses[0], i, new TurnScript(speech, offsetFrames: i * 37), stats).ConfigureAwait(false);
                }
                finally
                {
                    gate.Release();
                }
            })).ConfigureAwait(false);
        }

        using var ticker = new Ticker(all, stats, releaseOutput: false);
        await Task.Delay(warmUp).ConfigureAwait(false);
        stats.ResetWindow();
        long marks0 = all.Sum(c => Interlocked.Read(ref c.MarksEchoed)), clears0 = all.Sum(c => Interlocked.Read(ref c.Clears)), errors0 = Interlocked.Read(ref stats.Errors);
        process.Refresh();
        var cpu0 = process.TotalProcessorTime;
        var serverCpu0 = server.TotalProcessorTime;
        var allocated0 = GC.GetTotalAllocatedBytes(precise: false);
        var started = Stopwatch.GetTimestamp();

        await Task.Delay(duration).ConfigureAwait(false);

        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        process.Refresh();
        var cpu = (process.TotalProcessorTime - cpu0).TotalMilliseconds;
        var serverCpu = (server.TotalProcessorTime - serverCpu0).TotalMilliseconds;
        var allocated = GC.GetTotalAllocatedBytes(precise: false) - allocated0;
        var memory = process.WorkingSet64 - memory0;
        var heap = GC.GetTotalMemory(forceFullCollection: true) - heap0;
        // Call seconds actually carried: a saturated machine sends fewer than 50 messages a second per call.
        var callSeconds = Math.Max(1, Interlocked.Read(ref stats.FramesIn)) / 50.0;
        var load = double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        var result = new PhoneResult(
            calls, seconds, cpu / callSeconds, cpu / (seconds * 1000) / calls * 100, serverCpu / callSeconds,
            memory / 1048576.0 / calls, heap / 1048576.0 / calls, allocated / 1024.0 / callSeconds,
            Interlocked.Read(ref stats.FramesIn), Interlocked.Read(ref stats.FramesOut),
            all.Sum(c => Interlocked.Read(ref c.MarksEchoed)) - marks0, all.Sum(c => Interlocked.Read(ref c.Clears)) - clears0,
            Interlocked.Read(ref stats.InputStalls), Interlocked.Read(ref stats.Errors) - errors0, load);
        ticker.Dispose();
        await Task.WhenAll(all.Select(c => c.DisposeAsync().AsTask())).ConfigureAwait(false);
        return result;
    }

    public static void Print(IReadOnlyList<PhoneResult> results)
    {
        Console.WriteLine("| calls | CPU ms per call-second | % of a core per call | calls per core | simulator CPU ms per call-second | MiB per call (working set) | GC heap MiB per call | allocated KB per call-second | media in / played | marks echoed | clears | send stalls | errors | load avg |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in results)
        {
            Console.WriteLine($"| {r.Calls} | {r.CpuMsPerCallSecond:F2} | {r.CorePercentPerCall:F3} | {1000 / r.CpuMsPerCallSecond:F0} | {r.SimulatorCpuMsPerCallSecond:F2} | {r.MemoryMiBPerCall:F2} | {r.HeapMiBPerCall:F3} | {r.AllocatedKBPerCallSecond:F1} | {r.MediaIn} / {r.MediaPlayed} | {r.MarksEchoed} | {r.Clears} | {r.SendStalls} | {r.Errors} | {r.LoadAverage:F1} |");
        }
    }

    // Warnings and errors only: a load run's per-call information lines would cost CPU and say nothing new.
    private static ILoggerFactory Loggers() => LoggerFactory.Create(b => b.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning));
}
