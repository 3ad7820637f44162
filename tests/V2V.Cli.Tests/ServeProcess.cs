using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace V2V.Cli.Tests;

/// <summary>
/// A running <c>v2v serve</c> (the built CLI, or a <see cref="ProgramCopy"/>), started on a port the system picks
/// (<c>--port 0</c>) and handed over once it says it listens; <see cref="StopAsync"/> sends SIGTERM, as an orchestrator
/// or Kubernetes stops it, and serve drains. The scale-out tests run several as the nodes behind a balancer.
/// </summary>
internal sealed class ServeProcess : IAsyncDisposable
{
    /// <summary>A guard only: serve listens within seconds, even on a busy machine.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    private readonly Process _process;
    private readonly string _workingDirectory;
    private readonly StringBuilder _output = new();
    private readonly Task _stderr;
    private Task _stdout = Task.CompletedTask;

    private ServeProcess(Process process, string workingDirectory)
    {
        _process = process;
        _workingDirectory = workingDirectory;
        _stderr = Task.Run(async () =>
        {
            while (await process.StandardError.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                Append(line);
            }
        });
    }

    /// <summary>Where it listens (the page's address), e.g. http://127.0.0.1:41234/.</summary>
    public Uri Address { get; private set; } = null!;

    /// <summary>host:port, as a balancer's configuration names a server.</summary>
    public string HostAndPort => $"{Address.Host}:{Address.Port}";

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>What it said so far, standard output and error.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts <c>serve --port 0</c> and <paramref name="args"/> from <paramref name="programDirectory"/>, in a working directory of its own, and waits until it listens.</summary>
    public static Task<ServeProcess> StartAsync(string programDirectory, IReadOnlyDictionary<string, string> environment, params string[] args) =>
        StartCommandAsync(programDirectory, environment, ["serve", "--port", "0", .. args]);

    /// <summary>Starts the CLI with exactly <paramref name="command"/> (a <c>serve</c> command line) and waits until it listens.</summary>
    public static async Task<ServeProcess> StartCommandAsync(string programDirectory, IReadOnlyDictionary<string, string> environment, string[] command)
    {
        // Not the program's directory: the settings must be found beside the program, not in the working directory.
        var workingDirectory = Directory.CreateTempSubdirectory("v2v-serve-cwd-").FullName;
        var serve = new ServeProcess(Process.Start(CliProcess.StartInfo(programDirectory, workingDirectory, environment, command))!, workingDirectory);
        using var guard = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        guard.CancelAfter(Patience);
        try
        {
            await serve.ReadUntilListeningAsync(guard.Token);
            return serve;
        }
        catch (Exception ex) when (ex is OperationCanceledException or InvalidOperationException)
        {
            await serve.DisposeAsync();
            throw new InvalidOperationException($"v2v {string.Join(' ', command)} did not come to listen ({ex.Message}); it said:\n{serve.Output}", ex);
        }
    }

    /// <summary>The readiness probe's answer, whatever its status (its counts are in both).</summary>
    public async Task<JsonObject> ReadinessAsync()
    {
        using var http = new HttpClient { BaseAddress = Address, Timeout = Patience };
        using var answer = await http.GetAsync(new Uri("/readyz", UriKind.Relative), TestContext.Current.CancellationToken);
        return (await answer.Content.ReadFromJsonAsync<JsonObject>(TestContext.Current.CancellationToken))!;
    }

    /// <summary>SIGTERM, then its exit code and all it said.</summary>
    public async Task<(int ExitCode, string Output)> StopAsync()
    {
        await TerminateAsync();
        if (!await WaitForExitAsync(Patience))
        {
            throw new TimeoutException($"v2v serve was still running {Patience.TotalSeconds:F0} s after SIGTERM; it said:\n{Output}");
        }
        return (_process.ExitCode, Output);
    }

    /// <summary>SIGTERM, as a container runtime or Kubernetes sends it, without waiting: serve drains.</summary>
    public async Task TerminateAsync()
    {
        using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-TERM", _process.Id.ToString(CultureInfo.InvariantCulture) } })!;
        await kill.WaitForExitAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>Waits for the process to exit and its output to end; false when it still runs after <paramref name="patience"/>.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan patience)
    {
        using var guard = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        guard.CancelAfter(patience);
        try
        {
            await _process.WaitForExitAsync(guard.Token);
        }
        catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
        {
            return false;
        }
        await Task.WhenAll(_stdout, _stderr);
        return true;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(CancellationToken.None);
        }
        _process.Dispose();
        Directory.Delete(_workingDirectory, recursive: true);
    }

    // "v2v playground: open http://127.0.0.1:PORT/", then the summary, then "Press Ctrl+C to stop."
    private async Task ReadUntilListeningAsync(CancellationToken cancellationToken)
    {
        while (await _process.StandardOutput.ReadLineAsync(cancellationToken) is { } line)
        {
            Append(line);
            if (line.StartsWith("v2v playground: open ", StringComparison.Ordinal))
            {
                Address = new Uri(line["v2v playground: open ".Length..].Trim());
            }
            if (line.Contains("Press Ctrl+C", StringComparison.Ordinal))
            {
                // The rest of its output is kept too, for StopAsync.
                _stdout = Task.Run(async () =>
                {
                    while (await _process.StandardOutput.ReadLineAsync(CancellationToken.None) is { } more)
                    {
                        Append(more);
                    }
                }, CancellationToken.None);
                return;
            }
        }
        throw new InvalidOperationException($"it exited with code {(_process.WaitForExit(TimeSpan.FromSeconds(10)) ? _process.ExitCode : -1)}");
    }

    private void Append(string line)
    {
        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
