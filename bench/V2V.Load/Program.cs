using System.Globalization;
using System.Text.Json;
using V2V.Load;

// dotnet run -c Release --project bench/V2V.Load -- [load|ttfa|soak|chaos|plot] [options]
//   load  --sessions 1,10,100,500 --seconds 20 --bridges v2v,openai[,raw,rawdecode,rawplay,v2vtick5,v2vunpaced,v2vinput,none] --out docs/perf [--rounds 1] [--warmup 15] [--server-yields] [--server-core N] [--keep-awake] [--no-prime] [--stagger]   (stagger: users spread over the 9 s cycle instead of speaking on one beat; raw: socket traffic only; rawdecode: and the deltas' JSON and base64 decoded; rawplay: and the answers played, 10 ms frames paced to a reader; v2vtick5: ours handing paced audio over every 5 ms instead of 20; v2vunpaced: ours giving the answers out as they come; v2vinput: ours with turns never ended, the input path alone; none: the harness alone; server-core: the server on that core only (run the harness under taskset -c on another); rounds: the bridges in turn R times, with each bridge's CPU against the others' per round)
//   quality               (resampler against sox rate -v)
//   ttfa  --turns 40 [--direct --chunk-ms 40] [--keep-awake]   (through a graph, or a VoiceSession alone; keep-awake: no core idles, a control)
//   phone --calls 50,100 --seconds 30 [--warmup 15]   (phone calls to an in-process playground's /media-stream)
//   soak  --minutes 60 --speed 50
//   chaos --sessions 50 --seconds 60 --drop-probability 0.002 [--seed 1] [--session-lifetime SECONDS] [--pace realtime|service] [--profile openai|azure|azure-preview] [--drop-mean-seconds S] [--input-transcript]   (input-transcript: the user's turns transcribed too, every turn said pending checked to resolve; drop-mean-seconds: also drop each connection once at a random moment, after S seconds on average; lifetime: the server ends each session after it, so every session also renews its connection again and again; pace service: answers sent faster than they are played, as the services send them)
//   plot  --out docs/perf   (redraws the picture from load.json)
//   serve --sessions 50 --seconds 20 --nodes 2 [--warmup 15]   (browser sessions of v2v serve: one node directly, then N nodes behind haproxy)
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
var mode = args.Length > 0 && !args[0].StartsWith("--", StringComparison.Ordinal) ? args[0] : "load";
string Arg(string name, string fallback)
{
    var at = Array.IndexOf(args, "--" + name);
    return at >= 0 && at + 1 < args.Length ? args[at + 1] : fallback;
}

Console.WriteLine($"machine: {Machine.Describe()}");
// A run without a bridge (none) or without output (raw) has latencies it cannot measure: NaN, written and read as such.
var json = new JsonSerializerOptions { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };
SimulatorProcess.ServerYields = args.Contains("--server-yields");
SimulatorProcess.ServerCore = args.Contains("--server-core") ? int.Parse(Arg("server-core", "1")) : null;
LoadRunner.Stagger = args.Contains("--stagger");
using var keeper = args.Contains("--keep-awake") ? new CoreKeeper() : null;
if (keeper is not null)
{
    Console.WriteLine($"keep-awake: {Environment.ProcessorCount} busy loops at nice 19 keep every core out of idle (a control, not a way to run)");
}
switch (mode)
{
    case "load":
    {
        var counts = Arg("sessions", "1,10,100,500").Split(',').Select(int.Parse).ToArray();
        var bridges = Arg("bridges", "v2v,openai").Split(',');
        var seconds = double.Parse(Arg("seconds", "20"));
        var warmUp = double.Parse(Arg("warmup", "15"));
        var outDir = Arg("out", "docs/perf");
        var speech = SpeechSignal.Make(30);
        var results = new List<LoadResult>();
        if (!args.Contains("--no-prime"))
        {
            // The first bridge run in a process paid for its growth (code compiled, types loaded, thread-pool threads
            // added: 0.3-0.4 MiB per session at 100 sessions), and the working set per session of whichever bridge ran
            // first looked that much bigger. Each bridge runs once unmeasured first, so every measured run starts warm.
            foreach (var bridge in bridges)
            {
                Console.WriteLine($"-- priming {bridge}, {counts.Max()} sessions, 5 s (not measured; --no-prime skips)");
                _ = await LoadRunner.RunAsync(bridge, counts.Max(), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5), speech);
                LoadRunner.ForceGc();
            }
        }
        // Rounds: the bridges run in turn, again and again, so a ratio between two bridges is read within each round
        // (this machine's speed drifts by 20-30% over minutes, more than most changes measured here).
        var rounds = int.Parse(Arg("rounds", "1"));
        foreach (var n in counts)
        {
            foreach (var bridge in Enumerable.Range(0, rounds).SelectMany(_ => bridges))
            {
                Console.WriteLine($"-- {bridge}, {n} sessions, {seconds} s (load before: {Machine.LoadAverage()})");
                var result = await LoadRunner.RunAsync(bridge, n, TimeSpan.FromSeconds(seconds), TimeSpan.FromSeconds(warmUp), speech);
                results.Add(result);
                Console.WriteLine(JsonSerializer.Serialize(result, json));
                LoadRunner.ForceGc();
            }
        }
        Report.PrintLoad(results);
        if (rounds > 1)
        {
            Report.PrintRatios(results, bridges, rounds);
        }
        Directory.CreateDirectory(outDir);
        var jsonPath = Path.Combine(outDir, "load.json");
        await File.WriteAllTextAsync(jsonPath, JsonSerializer.Serialize(new LoadFile(Machine.Describe(), DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm 'UTC'"), string.Join(' ', args), results), new JsonSerializerOptions(json) { WriteIndented = true }));
        await File.WriteAllTextAsync(Path.Combine(outDir, "load.svg"), Plot.Render(results));
        Console.WriteLine($"wrote {jsonPath} and load.svg");
        break;
    }
    case "plot":
    {
        var outDir = Arg("out", "docs/perf");
        var file = JsonSerializer.Deserialize<LoadFile>(await File.ReadAllTextAsync(Path.Combine(outDir, "load.json")), json)!;
        Report.PrintLoad(file.Results);
        await File.WriteAllTextAsync(Path.Combine(outDir, "load.svg"), Plot.Render(file.Results));
        break;
    }
    case "serve":
    {
        var sessions = int.Parse(Arg("sessions", "50"));
        var nodes = int.Parse(Arg("nodes", "2"));
        var seconds = TimeSpan.FromSeconds(double.Parse(Arg("seconds", "20")));
        var warmUp = TimeSpan.FromSeconds(double.Parse(Arg("warmup", "15")));
        var speech = SpeechSignal.Make(30);
        var results = new List<ServeLoadResult>();
        foreach (var (count, balanced) in new[] { (1, false), (nodes, true) })
        {
            Console.WriteLine($"-- {(balanced ? $"{count} nodes behind haproxy" : "one node, direct")}, {sessions} sessions, {seconds.TotalSeconds} s (load before: {Machine.LoadAverage()})");
            results.Add(await ServeLoadRunner.RunAsync(count, balanced, sessions, seconds, warmUp, speech));
            Console.WriteLine(JsonSerializer.Serialize(results[^1], json));
        }
        ServeLoadRunner.Print(results);
        break;
    }
    case "phone":
    {
        var speech = SpeechSignal.Make(30);
        var results = new List<PhoneResult>();
        foreach (var n in Arg("calls", "50,100").Split(',').Select(int.Parse))
        {
            Console.WriteLine($"-- phone, {n} calls, {Arg("seconds", "30")} s (load before: {Machine.LoadAverage()})");
            var result = await PhoneRunner.RunAsync(n, TimeSpan.FromSeconds(double.Parse(Arg("seconds", "30"))), TimeSpan.FromSeconds(double.Parse(Arg("warmup", "15"))), speech);
            results.Add(result);
            Console.WriteLine(JsonSerializer.Serialize(result, json));
            LoadRunner.ForceGc();
        }
        PhoneRunner.Print(results);
        break;
    }
    case "quality":
        QualityRunner.Run();
        break;
    case "ttfa":
    {
        if (args.Contains("--direct"))
        {
            await TtfaRunner.RunDirectAsync(int.Parse(Arg("turns", "40")), int.Parse(Arg("chunk-ms", "40")));
        }
        else
        {
            await TtfaRunner.RunAsync(int.Parse(Arg("turns", "40")));
        }
        break;
    }
    case "soak":
        await SoakRunner.RunAsync(double.Parse(Arg("minutes", "60")), double.Parse(Arg("speed", "50")));
        break;
    case "chaos":
        await ChaosRunner.RunAsync(int.Parse(Arg("sessions", "50")), double.Parse(Arg("seconds", "60")), double.Parse(Arg("drop-probability", "0.002")), int.Parse(Arg("seed", "1")), Arg("session-lifetime", ""), Arg("pace", "realtime"), Arg("profile", "openai"), double.Parse(Arg("drop-mean-seconds", "0"), System.Globalization.CultureInfo.InvariantCulture), args.Contains("--input-transcript"), Arg("turn-mode", "server_vad"));
        break;
    case "chaos-tools":
        await ToolChaosRunner.RunAsync(int.Parse(Arg("sessions", "50")), double.Parse(Arg("seconds", "60")), double.Parse(Arg("drop-probability", "0.002")), int.Parse(Arg("seed", "1")), Arg("session-lifetime", ""), Arg("pace", "realtime"));
        break;
    default:
        Console.Error.WriteLine($"unknown mode {mode}: load, phone, plot, serve, quality, ttfa, soak, chaos or chaos-tools");
        return 2;
}
return 0;

internal sealed record LoadFile(string Machine, string Date, string Arguments, List<LoadResult> Results);
