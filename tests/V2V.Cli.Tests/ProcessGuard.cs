using System.Diagnostics;

namespace V2V.Cli.Tests;

/// <summary>The wait for a process a test started: a guard against one stuck, never a timing.</summary>
internal static class ProcessGuard
{
    /// <summary>
    /// Waits for <paramref name="process"/> to exit. Past <paramref name="patience"/> (or when the run is cancelled) it
    /// is killed with its children, as it must not outlive the test, and the failure shows what it said.
    /// </summary>
    public static async Task WaitForExitAsync(Process process, TimeSpan patience, string what, Func<Task<string>> said)
    {
        using var guard = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        guard.CancelAfter(patience);
        try
        {
            await process.WaitForExitAsync(guard.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            TestContext.Current.CancellationToken.ThrowIfCancellationRequested();
            throw new TimeoutException($"{what} did not exit within {patience.TotalSeconds:F0} s; it said:\n{await said()}");
        }
    }
}
