using System.Diagnostics;

namespace V2V.Load;

/// <summary>
/// A process the harness measures apart from itself (the simulator, a <c>v2v serve</c> node, the balancer): its CPU and
/// memory read fresh, and killed when disposed.
/// </summary>
internal abstract class MeasuredProcess(Process process) : IAsyncDisposable
{
    public int ProcessId => process.Id;

    public TimeSpan TotalProcessorTime
    {
        get
        {
            process.Refresh();
            return process.TotalProcessorTime;
        }
    }

    public long WorkingSet
    {
        get
        {
            process.Refresh();
            return process.WorkingSet64;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill();
            await process.WaitForExitAsync().ConfigureAwait(false);
        }
        process.Dispose();
    }

    /// <summary>
    /// Starts <paramref name="info"/> (its output redirected), shows its standard error under <paramref name="label"/>,
    /// and reads its standard output until <paramref name="addressIn"/> finds where it listens in a line; the rest of
    /// its output is read and dropped, so it never blocks on a full pipe.
    /// </summary>
    protected static async Task<(Process Process, Uri Address)> StartUntilListeningAsync(ProcessStartInfo info, string label, Func<string, Uri?> addressIn, TimeSpan patience, Action<Process>? onStarted = null)
    {
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.UseShellExecute = false;
        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {label}");
        onStarted?.Invoke(process);
        _ = Task.Run(async () =>
        {
            while (await process.StandardError.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                Console.Error.WriteLine($"[{label} {process.Id}] {line}");
            }
        });
        using var timeout = new CancellationTokenSource(patience);
        while (await process.StandardOutput.ReadLineAsync(timeout.Token).ConfigureAwait(false) is { } line)
        {
            if (addressIn(line) is { } address)
            {
                _ = Task.Run(async () =>
                {
                    while (await process.StandardOutput.ReadLineAsync().ConfigureAwait(false) is not null)
                    {
                    }
                });
                return (process, address);
            }
        }
        throw new InvalidOperationException($"{label} did not say where it listens");
    }
}
