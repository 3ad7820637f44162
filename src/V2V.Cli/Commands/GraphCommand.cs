using System.CommandLine;
using Microsoft.Extensions.Logging;
using V2V.Extension;
using V2V.Graph;
using V2V.Graph.Hosting;
using V2V.Simulator;

namespace V2V.Cli.Commands;

/// <summary>
/// <c>v2v graph run|validate GRAPH.json</c>: runs a TEN-style graph, or a TEN app's property.json (the graph named by
/// <c>--graph</c>, else every auto_start graph, with the app's <c>ten_packages</c>), until its file sources are done and
/// the graphs have been idle (or Ctrl+C). <c>--bind NODE=ADDON</c> replaces a node's addon (TEN's <c>agora_rtc</c> by
/// <c>wav_rtc</c>, a Python tool by <c>time_tool</c>). Exit codes: 0 done, 1 runtime failure, 2 invalid graph.
/// </summary>
internal static class GraphCommand
{
    private const int InvalidGraph = 2;
    private const int RuntimeFailure = 1;
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(10);

    // The addons every graph can use: one line per addon package. A v2v node with no key is answered by the
    // local realtime server, which this process owns.
    private static readonly Action<AddonRegistry>[] Registrations =
    [
        registry => registry.AddBuiltIns(),
        registry =>
        {
            // openai_v2v, and openai_v2v_python for TEN-Agent's graphs.
            foreach (var addon in OpenAIV2VAddon.CreateAll(new KeylessEndpoint("the local realtime server", EmbeddedRealtimeServer.GetAsync)))
            {
                registry.Add(addon);
            }
        },
    ];

    public static Command Create()
    {
        var command = new Command("graph", "Run or check TEN-style graphs (nodes of extensions and the connections between them).");
        command.Subcommands.Add(CreateRun());
        command.Subcommands.Add(CreateValidate());
        return command;
    }

    /// <summary>The addons known to the CLI.</summary>
    internal static AddonRegistry CreateRegistry()
    {
        var registry = new AddonRegistry();
        foreach (var register in Registrations)
        {
            register(registry);
        }
        return registry;
    }

    private static Command CreateRun()
    {
        var file = GraphArgument();
        var graphName = GraphNameOption();
        var set = SetOption();
        var bind = BindOption();
        var idle = new Option<double>("--idle-timeout") { Description = "Seconds without any message before a finished file-driven graph stops.", DefaultValueFactory = _ => 3.0 };
        var capacity = new Option<int>("--queue-capacity") { Description = "Bound of each extension's data/audio queue (full: senders wait).", DefaultValueFactory = _ => 100 };
        var verbose = new Option<bool>("--verbose") { Description = "Debug logging and per-extension statistics." };
        var command = new Command("run", "Run a graph (or a TEN app's graphs): ends when its file sources are done and it is idle, or on Ctrl+C.")
        {
            file, graphName, set, bind, idle, capacity, verbose,
        };
        command.SetAction(async (ParseResult result, CancellationToken cancellationToken) =>
        {
            using var loggerFactory = LoggerFactory.Create(b => b
                .AddSimpleConsole(o => o.SingleLine = true)
                .SetMinimumLevel(result.GetValue(verbose) ? LogLevel.Debug : LogLevel.Information));
            var idleTimeout = TimeSpan.FromSeconds(Math.Max(0, result.GetValue(idle)));
            var path = result.GetValue(file)!;
            if (Load(result, file, graphName, set, bind) is not { } app)
            {
                return InvalidGraph;
            }
            var options = app.Options(new GraphHostOptions { LoggerFactory = loggerFactory, MessageQueueCapacity = Math.Max(1, result.GetValue(capacity)) });
            var host = new GraphHost(app.Registry, options);
            return await RunAsync(host, path, app, result.GetValue(graphName), idleTimeout, result.GetValue(verbose), cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    private static Command CreateValidate()
    {
        var file = GraphArgument();
        var graphName = GraphNameOption();
        var set = SetOption();
        var bind = BindOption();
        var command = new Command("validate", "Check a graph (or a TEN app's graphs to start) against the registered addons and print every problem.") { file, graphName, set, bind };
        command.SetAction((ParseResult result) =>
        {
            var path = result.GetValue(file)!;
            if (Load(result, file, graphName, set, bind) is not { } app)
            {
                return InvalidGraph;
            }
            var host = new GraphHost(app.Registry, app.Options(new GraphHostOptions()));
            var problems = new List<string>();
            var unknown = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var graph in app.Graphs)
            {
                try
                {
                    var plan = host.Validate(graph);
                    Console.WriteLine($"{path.Name}{(graph.Name is null ? "" : $" graph '{graph.Name}'")}: valid ({plan.Nodes.Count} nodes, {plan.Routes.Count} routes).");
                }
                catch (GraphValidationException ex)
                {
                    problems.AddRange(ex.Problems.Select(p => app.Graphs.Count > 1 ? $"graph '{graph.Name}': {p}" : p));
                    foreach (var (node, addon) in ex.UnknownAddons)
                    {
                        unknown.TryAdd(node, addon);
                    }
                }
            }
            if (problems.Count == 0)
            {
                return 0;
            }
            GraphApp.Report(Console.Error, path.Name, new GraphValidationException(problems) { UnknownAddons = unknown });
            return InvalidGraph;
        });
        return command;
    }

    private static Argument<FileInfo> GraphArgument() => new("graph") { Description = "Graph JSON: {nodes, connections}, a predefined graph, or a TEN app's property.json." };

    private static Option<string?> GraphNameOption() => new("--graph") { Description = "Which predefined graph of a property.json (default: every auto_start one)." };

    private static Option<string[]> SetOption() => new("--set")
    {
        Description = "Override a node property: node.property=value (repeatable), e.g. --set source.path=my.wav.",
        Arity = ArgumentArity.ZeroOrMore,
    };

    /// <summary>The <c>--bind NODE=ADDON</c> option (also <c>v2v serve</c>'s).</summary>
    internal static Option<string[]> BindOption() => new("--bind")
    {
        Description = "Replace a node's addon, keeping its connections: NODE=ADDON (repeatable), e.g. --bind agora_rtc=wav_rtc --bind weatherapi_tool_python=time_tool.",
        Arity = ArgumentArity.ZeroOrMore,
    };

    private static GraphApp? Load(ParseResult result, Argument<FileInfo> file, Option<string?> graphName, Option<string[]> set, Option<string[]> bind)
    {
        var path = result.GetValue(file)!;
        try
        {
            return GraphApp.Load(path, result.GetValue(graphName), result.GetValue(set), result.GetValue(bind), CreateRegistry());
        }
        catch (GraphValidationException ex)
        {
            GraphApp.Report(Console.Error, path.Name, ex);
            return null;
        }
    }

    private static async Task<int> RunAsync(GraphHost host, FileInfo file, GraphApp app, string? graphName, TimeSpan idleTimeout, bool verbose, CancellationToken cancellationToken)
    {
        RunningApp graph;
        try
        {
            graph = await host.StartAppAsync(app.Graphs, graphName, cancellationToken).ConfigureAwait(false);
        }
        catch (GraphValidationException ex)
        {
            GraphApp.Report(Console.Error, file.Name, ex);
            return InvalidGraph;
        }
        catch (GraphRunException ex)
        {
            Console.Error.WriteLine($"The graph failed to start: {ex.Message}");
            return RuntimeFailure;
        }
        catch (OperationCanceledException)
        {
            return 0;
        }
        var exitCode = 0;
        await using (graph.ConfigureAwait(false))
        {
            try
            {
                if (graph.Graphs.Any(g => g.HasParticipants))
                {
                    await graph.WaitForCompletionAsync(idleTimeout, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    Console.WriteLine("The graph has no file source: running until Ctrl+C.");
                    await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                Console.WriteLine("Stopping.");
            }
            catch (Exception ex)
            {
                Console.Error.WriteLine($"The graph failed: {ex.Message}");
                exitCode = RuntimeFailure;
            }
            // Ctrl+C has cancelled the command's token by now: the stop gets a patience of its own.
            using var stopTimeout = new CancellationTokenSource(StopTimeout);
            try
            {
                await graph.StopAsync(stopTimeout.Token).ConfigureAwait(false);
            }
            catch (GraphRunException ex)
            {
                Console.Error.WriteLine($"The graph did not stop cleanly: {ex.Message}");
                exitCode = RuntimeFailure;
            }
            catch (OperationCanceledException)
            {
                Console.Error.WriteLine($"The graph did not stop within {StopTimeout.TotalSeconds:F0} s.");
                exitCode = RuntimeFailure;
            }
            if (verbose)
            {
                foreach (var s in graph.Graphs.SelectMany(g => g.GetStatistics()))
                {
                    Console.WriteLine($"  {s.Name}: {s.CmdsHandled} cmds, {s.MessagesHandled} messages, {s.BackPressureWaits} back-pressure waits, {s.Dropped} dropped, {s.HandlerErrors} handler errors, {s.Unrouted} unrouted");
                }
            }
        }
        return exitCode;
    }
}
