using System.Diagnostics;

namespace V2V.Load;

/// <summary>The local realtime server in a process of its own (<c>v2v simulator</c>), so its CPU is measured apart.</summary>
internal sealed class SimulatorProcess : MeasuredProcess
{
    private SimulatorProcess(Process process, Uri realtimeUri)
        : base(process)
    {
        RealtimeUri = realtimeUri;
    }

    public Uri RealtimeUri { get; }

    /// <summary>Run the server below normal priority (<c>--server-yields</c>).</summary>
    public static bool ServerYields { get; set; }

    /// <remarks>
    /// The server paces answers in real time (<c>--pace realtime</c>), as when the README's figures were measured: a
    /// session's output then lasts as long as its audio, so N sessions are N concurrent streams. <paramref name="pace"/>
    /// <c>service</c> sends answers faster than real time, as the services do.
    /// </remarks>
    /// <summary>
    /// The one core the server runs on (<c>--server-core N</c>), null for any: with the harness run under
    /// <c>taskset -c</c> on the other core, the bridge and its loopback peer no longer take turns on one core, which on
    /// this 2-core machine is the part of a bridge's CPU that depends on how the peer happens to be scheduled.
    /// </summary>
    public static int? ServerCore { get; set; }

    public static async Task<SimulatorProcess> StartAsync(double speed, string extraArguments = "", string pace = "realtime")
    {
        var command = $"\"{FindCli()}\" simulator --port 0 --pace {pace} --speed {speed.ToString(System.Globalization.CultureInfo.InvariantCulture)} {extraArguments}";
        var info = ServerCore is { } core
            ? new ProcessStartInfo("taskset", $"-c {core} dotnet {command}")
            : new ProcessStartInfo("dotnet", command);
        info.Environment["DOTNET_gcServer"] = "0";
        var (process, address) = await StartUntilListeningAsync(info, "simulator", AddressIn, TimeSpan.FromSeconds(30), process =>
        {
            if (ServerYields)
            {
                // The server stands in for OpenAI, which has machines of its own: when the cores are short, the bridge
                // under test goes first (nice 10 for every thread the server has or will start).
                process.PriorityClass = ProcessPriorityClass.BelowNormal;
            }
        }).ConfigureAwait(false);
        return new SimulatorProcess(process, address);
    }

    /// <summary>The built CLI (Release, else Debug): `dotnet build -c Release src/V2V.Cli` first.</summary>
    internal static string FindCli()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "V2V.slnx")))
        {
            dir = dir.Parent;
        }
        var root = dir?.FullName ?? throw new InvalidOperationException("run from inside the repository");
        foreach (var config in new[] { "Release", "Debug" })
        {
            var dll = Path.Combine(root, "src", "V2V.Cli", "bin", config, "net10.0", "V2V.Cli.dll");
            if (File.Exists(dll))
            {
                return dll;
            }
        }
        throw new InvalidOperationException("build the CLI first: dotnet build -c Release src/V2V.Cli");
    }

    // "... ws://127.0.0.1:PORT/v1/realtime" (the port Kestrel chose for port 0).
    private static Uri? AddressIn(string line)
    {
        var at = line.IndexOf("ws://", StringComparison.Ordinal);
        return at >= 0 ? new Uri(line[at..].Trim()) : null;
    }
}
