using System.Diagnostics;

namespace V2V.Cli.Tests;

/// <summary>Runs the v2v command line as its own process, as a user would, and returns its exit code and output.</summary>
internal static class CliProcess
{
    public static Task<(int ExitCode, string Output)> RunAsync(params string[] args) => RunInAsync(Environment.CurrentDirectory, args);

    public static async Task<(int ExitCode, string Output)> RunInAsync(string workingDirectory, params string[] args)
    {
        var cli = Path.Combine(AppContext.BaseDirectory, "V2V.Cli.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = workingDirectory };
        start.ArgumentList.Add(cli);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        // A key in the test machine's environment must not send the CLI to OpenAI.
        start.Environment.Remove("OPENAI_API_KEY");
        start.Environment.Remove("AZURE_OPENAI_API_KEY");
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(guard.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}
