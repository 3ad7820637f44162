using System.Diagnostics;
using System.Text;

namespace V2V.Cli.Tests;

/// <summary>Runs the v2v command line as its own process, as a user would, and returns its exit code and output.</summary>
internal static class CliProcess
{
    /// <summary>A guard only: a command that works exits far sooner, even on a busy machine.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    public static Task<(int ExitCode, string Output)> RunAsync(params string[] args) => RunInAsync(Environment.CurrentDirectory, args);

    public static Task<(int ExitCode, string Output)> RunInAsync(string workingDirectory, params string[] args) =>
        RunCoreAsync(workingDirectory, new Dictionary<string, string>(), interruptWhen: null, args);

    /// <summary>Runs the command with these environment variables set (and no service key or endpoint of the test machine's).</summary>
    public static Task<(int ExitCode, string Output)> RunWithEnvironmentAsync(string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] args) =>
        RunCoreAsync(workingDirectory, environment, interruptWhen: null, args);

    /// <summary>Runs the V2V.Cli.dll of <paramref name="programDirectory"/> (a copy of the CLI, see <see cref="ProgramCopy"/>) in <paramref name="workingDirectory"/>, with these environment variables set.</summary>
    public static Task<(int ExitCode, string Output)> RunProgramAsync(string programDirectory, string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] args) =>
        RunCoreAsync(workingDirectory, environment, interruptWhen: null, args, programDirectory: programDirectory);

    /// <summary>Runs the command and, once its standard output shows <paramref name="interruptWhen"/>, interrupts it as Ctrl+C does (SIGINT).</summary>
    public static Task<(int ExitCode, string Output)> RunAndInterruptAsync(string interruptWhen, params string[] args) =>
        RunCoreAsync(Environment.CurrentDirectory, new Dictionary<string, string>(), interruptWhen, args);

    /// <summary>Runs the command with these environment variables and, once its standard output shows <paramref name="when"/>, sends it <paramref name="signal"/> (e.g. TERM, as Kubernetes stops a pod).</summary>
    public static Task<(int ExitCode, string Output)> RunAndSignalAsync(string signal, string when, IReadOnlyDictionary<string, string> environment, params string[] args) =>
        RunCoreAsync(Environment.CurrentDirectory, environment, when, args, signal);

    /// <summary>As <see cref="RunAndInterruptAsync(string, string[])"/>, with these environment variables set.</summary>
    public static Task<(int ExitCode, string Output)> RunAndInterruptAsync(string interruptWhen, IReadOnlyDictionary<string, string> environment, params string[] args) =>
        RunCoreAsync(Environment.CurrentDirectory, environment, interruptWhen, args);

    private static async Task<(int ExitCode, string Output)> RunCoreAsync(string workingDirectory, IReadOnlyDictionary<string, string> environment, string? interruptWhen, string[] args, string signal = "INT", string? programDirectory = null)
    {
        using var process = Process.Start(StartInfo(programDirectory ?? AppContext.BaseDirectory, workingDirectory, environment, args))!;
        var stdout = ReadAsync(process, process.StandardOutput, interruptWhen, signal);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await ProcessGuard.WaitForExitAsync(process, Patience, $"v2v {string.Join(' ', args)}", async () => await stdout + await stderr);
        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>How the CLI of <paramref name="programDirectory"/> is started: its output read, these variables set, and no service key or endpoint of the test machine's.</summary>
    public static ProcessStartInfo StartInfo(string programDirectory, string workingDirectory, IReadOnlyDictionary<string, string> environment, IEnumerable<string> args)
    {
        // Through env --default-signal=INT: a test run started in the background of a script (`bash test.sh &`) has
        // Ctrl+C ignored, as a non-interactive shell does for background jobs; the command would inherit that and, rightly,
        // ignore the SIGINT the Ctrl+C tests send it. env gives it Ctrl+C back, then becomes the command (same pid).
        var start = new ProcessStartInfo("env") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = workingDirectory };
        start.ArgumentList.Add("--default-signal=INT");
        start.ArgumentList.Add("dotnet");
        start.ArgumentList.Add(Path.Combine(programDirectory, "V2V.Cli.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        // A key in the test machine's environment must not send the CLI to OpenAI (nor its Twilio token gate the phone line).
        start.Environment.Remove("OPENAI_API_KEY");
        start.Environment.Remove("OPENAI_REALTIME_API_KEY");
        start.Environment.Remove("AZURE_OPENAI_API_KEY");
        start.Environment.Remove("AZURE_OPENAI_ENDPOINT");
        start.Environment.Remove("AZURE_OPENAI_DEPLOYMENT");
        start.Environment.Remove("TWILIO_AUTH_TOKEN");
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        return start;
    }

    /// <summary>Reads the output line by line; the line that shows <paramref name="interruptWhen"/> sends the process the signal (once).</summary>
    private static async Task<string> ReadAsync(Process process, StreamReader output, string? interruptWhen, string signal)
    {
        var text = new StringBuilder();
        while (await output.ReadLineAsync(TestContext.Current.CancellationToken) is { } line)
        {
            text.AppendLine(line);
            if (interruptWhen is not null && line.Contains(interruptWhen, StringComparison.Ordinal))
            {
                interruptWhen = null;
                using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-" + signal, process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) } })!;
                await kill.WaitForExitAsync(TestContext.Current.CancellationToken);
            }
        }
        return text.ToString();
    }
}
