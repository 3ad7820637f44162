using System.CommandLine;

namespace V2V.Cli;

/// <summary>Entry point of the <c>v2v</c> command: each verb lives in a file of its own.</summary>
public static class Program
{
    /// <summary>Runs the command line.</summary>
    public static Task<int> Main(string[] args)
    {
        var root = new RootCommand("v2v: a realtime voice-to-voice agent for .NET (OpenAI Realtime, Azure OpenAI, or the local realtime server).");
        root.Subcommands.Add(Commands.SimulatorCommand.Create());
        root.Subcommands.Add(Commands.GraphCommand.Create());
        root.Subcommands.Add(Commands.ServeCommand.Create());
        root.Subcommands.Add(Commands.TalkCommand.Create());
        var parsed = root.Parse(args);
        // serve takes SIGTERM and Ctrl+C itself, to drain its sessions (Serve/ShutdownSignals); the others stop as usual.
        var invocation = parsed.CommandResult.Command.Name == "serve" ? new InvocationConfiguration { ProcessTerminationTimeout = null } : null;
        return parsed.InvokeAsync(invocation);
    }
}
