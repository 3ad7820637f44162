using System.Diagnostics;

namespace V2V.Load;

/// <summary>The local realtime server in a process of its own (<c>v2v simulator</c>), so its CPU is measured apart.</summary>
internal sealed class SimulatorProcess : IAsyncDisposable
{
    private readonly Process _process;

    private SimulatorProcess(Process process, Uri realtimeUri)
    {
        _process = process;
        RealtimeUri = realtimeUri;
    }

    public Uri RealtimeUri { get; }

    public int ProcessId => _process.Id;

    /// <summary>Run the server below normal priority (<c>--server-yields</c>).</summary>
    public static bool ServerYields { get; set; }

    /// <remarks>
    /// The server paces answers in real time (<c>--pace realtime</c>), as when the README's figures were measured: a
    /// session's output then lasts as long as its audio, so N sessions are N concurrent streams.
    /// </remarks>
    public static async Task<SimulatorProcess> StartAsync(double speed, string extraArguments = "")
    {
        var dll = FindCli();
        var info = new ProcessStartInfo("dotnet", $"\"{dll}\" simulator --port 0 --pace realtime --speed {speed.ToString(System.Globalization.CultureInfo.InvariantCulture)} {extraArguments}")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["DOTNET_gcServer"] = "0";
        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start the simulator");
        if (ServerYields)
        {
            // The server stands in for OpenAI, which has machines of its own: when the cores are short, the bridge
            // under test goes first (nice 10 for every thread the server has or will start).
            process.PriorityClass = ProcessPriorityClass.BelowNormal;
        }
        _ = Task.Run(async () =>
        {
            while (await process.StandardError.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                Console.Error.WriteLine($"[simulator] {line}");
            }
        });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (await process.StandardOutput.ReadLineAsync(timeout.Token).ConfigureAwait(false) is { } line)
        {
            var at = line.IndexOf("ws://", StringComparison.Ordinal);
            if (at >= 0)
            {
                _ = Task.Run(async () =>
                {
                    while (await process.StandardOutput.ReadLineAsync().ConfigureAwait(false) is not null)
                    {
                    }
                });
                return new SimulatorProcess(process, new Uri(line[at..].Trim()));
            }
        }
        throw new InvalidOperationException("the simulator did not say where it listens");
    }

    public TimeSpan TotalProcessorTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    public long WorkingSet
    {
        get
        {
            _process.Refresh();
            return _process.WorkingSet64;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync().ConfigureAwait(false);
        }
        _process.Dispose();
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
}
