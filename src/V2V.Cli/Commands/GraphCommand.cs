using System.CommandLine;
using Microsoft.Extensions.Logging;
using V2V.Extension;
using V2V.Graph;
using V2V.Graph.Definition;
using V2V.Graph.Hosting;
using V2V.Graph.Validation;
using V2V.Simulator;

namespace V2V.Cli.Commands;

/// <summary>
/// <c>v2v graph run|validate GRAPH.json</c>: runs a TEN-style graph until its file sources are done and the graph
/// has been idle (or Ctrl+C). Exit codes: 0 done, 1 runtime failure, 2 invalid graph.
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
        var idle = new Option<double>("--idle-timeout") { Description = "Seconds without any message before a finished file-driven graph stops.", DefaultValueFactory = _ => 3.0 };
        var capacity = new Option<int>("--queue-capacity") { Description = "Bound of each extension's data/audio queue (full: senders wait).", DefaultValueFactory = _ => 100 };
        var verbose = new Option<bool>("--verbose") { Description = "Debug logging and per-extension statistics." };
        var command = new Command("run", "Run a graph: ends when its file sources are done and the graph is idle, or on Ctrl+C.")
        {
            file, graphName, set, idle, capacity, verbose,
        };
        command.SetAction(async (ParseResult result, CancellationToken cancellationToken) =>
        {
            using var loggerFactory = LoggerFactory.Create(b => b
                .AddSimpleConsole(o => o.SingleLine = true)
                .SetMinimumLevel(result.GetValue(verbose) ? LogLevel.Debug : LogLevel.Information));
            var idleTimeout = TimeSpan.FromSeconds(Math.Max(0, result.GetValue(idle)));
            var options = new GraphHostOptions { LoggerFactory = loggerFactory, MessageQueueCapacity = Math.Max(1, result.GetValue(capacity)) };
            var host = new GraphHost(CreateRegistry(), options);
            if (Plan(host, result.GetValue(file)!, result.GetValue(graphName), result.GetValue(set)) is not { } plan)
            {
                return InvalidGraph;
            }
            return await RunAsync(host, plan, idleTimeout, result.GetValue(verbose), cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    private static Command CreateValidate()
    {
        var file = GraphArgument();
        var graphName = GraphNameOption();
        var set = SetOption();
        var command = new Command("validate", "Check a graph against the registered addons and print every problem.") { file, graphName, set };
        command.SetAction((ParseResult result) =>
        {
            var host = new GraphHost(CreateRegistry());
            if (Plan(host, result.GetValue(file)!, result.GetValue(graphName), result.GetValue(set)) is not { } plan)
            {
                return InvalidGraph;
            }
            Console.WriteLine($"{result.GetValue(file)!.Name}: valid ({plan.Nodes.Count} nodes, {plan.Routes.Count} routes).");
            return 0;
        });
        return command;
    }

    private static Argument<FileInfo> GraphArgument() => new("graph") { Description = "Graph JSON: {nodes, connections}, a predefined graph, or a TEN property.json." };

    private static Option<string?> GraphNameOption() => new("--graph") { Description = "Which predefined graph of a property.json (default: the first auto_start one)." };

    private static Option<string[]> SetOption() => new("--set")
    {
        Description = "Override a node property: node.property=value (repeatable), e.g. --set source.path=my.wav.",
        Arity = ArgumentArity.ZeroOrMore,
    };

    private static GraphPlan? Plan(GraphHost host, FileInfo file, string? graphName, string[]? overrides)
    {
        try
        {
            var graph = GraphJson.Load(file.FullName, graphName);
            graph.ApplyOverrides(overrides ?? []);
            return host.Validate(graph);
        }
        catch (GraphValidationException ex)
        {
            Console.Error.WriteLine($"{file.Name} is not a valid graph ({ex.Problems.Count} problem{(ex.Problems.Count == 1 ? "" : "s")}):");
            foreach (var problem in ex.Problems)
            {
                Console.Error.WriteLine($"  - {problem}");
            }
            return null;
        }
    }

    private static async Task<int> RunAsync(GraphHost host, GraphPlan plan, TimeSpan idleTimeout, bool verbose, CancellationToken cancellationToken)
    {
        RunningGraph graph;
        try
        {
            graph = await host.StartAsync(plan, cancellationToken).ConfigureAwait(false);
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
                if (graph.HasParticipants)
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
                foreach (var s in graph.GetStatistics())
                {
                    Console.WriteLine($"  {s.Name}: {s.CmdsHandled} cmds, {s.MessagesHandled} messages, {s.BackPressureWaits} back-pressure waits, {s.Dropped} dropped, {s.HandlerErrors} handler errors, {s.Unrouted} unrouted");
                }
            }
        }
        return exitCode;
    }
}
