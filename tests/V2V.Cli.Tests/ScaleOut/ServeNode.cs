using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace V2V.Cli.Tests.ScaleOut;

/// <summary>
/// One <c>v2v serve</c> node as its own process on a free loopback port (no access token needed there), with the local
/// realtime server in it: what deploy/scaleout/run.sh starts. SIGTERM is its drain.
/// </summary>
internal sealed class ServeNode : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output;
    private readonly Task _reading;

    private ServeNode(Process process, Uri address, StringBuilder output, Task reading)
    {
        _process = process;
        Address = address;
        _output = output;
        _reading = reading;
    }

    /// <summary>Where the node listens, e.g. http://127.0.0.1:41234/.</summary>
    public Uri Address { get; }

    /// <summary>host:port, as the balancer's configuration names a server.</summary>
    public string HostAndPort => $"{Address.Host}:{Address.Port}";

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>All the node said so far (standard output and error), for a failure's message.</summary>
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

    /// <summary>Starts the node and returns once it says where it listens.</summary>
    public static async Task<ServeNode> StartAsync(TimeSpan patience, params string[] serveArgs)
    {
        // The test machine's key must not send the nodes to OpenAI: the in-process local realtime server answers.
        var start = CliProcess.StartInfo(AppContext.BaseDirectory, Environment.CurrentDirectory, new Dictionary<string, string>(), ["serve", "--port", "0", .. serveArgs]);
        var process = Process.Start(start)!;
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new StringBuilder();
        var reading = Task.WhenAll(ReadAsync(process.StandardOutput, output, listening), ReadAsync(process.StandardError, output, listening: null));
        using var guard = new CancellationTokenSource(patience);
        try
        {
            return new ServeNode(process, await listening.Task.WaitAsync(guard.Token).ConfigureAwait(false), output, reading);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            process.Dispose();
            throw new TimeoutException($"v2v serve did not say where it listens (exited, or not within {patience.TotalSeconds:F0} s); it said:\n{output}");
        }
    }

    /// <summary>SIGTERM, as a container runtime or Kubernetes sends it: the node drains.</summary>
    public async Task TerminateAsync()
    {
        using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-TERM", _process.Id.ToString(CultureInfo.InvariantCulture) } })!;
        await kill.WaitForExitAsync().ConfigureAwait(false);
    }

    /// <summary>Waits for the process to exit; false when it is still running after <paramref name="patience"/>.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan patience)
    {
        using var guard = new CancellationTokenSource(patience);
        try
        {
            await _process.WaitForExitAsync(guard.Token).ConfigureAwait(false);
            await _reading.ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        }
        _process.Dispose();
    }

    private static async Task ReadAsync(StreamReader reader, StringBuilder output, TaskCompletionSource<Uri>? listening)
    {
        while (await reader.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            lock (output)
            {
                output.AppendLine(line);
            }
            // "v2v playground: open http://127.0.0.1:PORT/" (the port Kestrel chose for port 0).
            var at = line.IndexOf("open http://", StringComparison.Ordinal);
            if (listening is not null && at >= 0)
            {
                listening.TrySetResult(new Uri(line[(at + "open ".Length)..].Trim()));
            }
        }
        // Exited without saying it: the caller stops waiting now and shows what it said.
        listening?.TrySetCanceled();
    }
}
