using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using V2V.Graph.Definition;
using V2V.Graph.Validation;
using V2V.Ten.Messages;

namespace V2V.Graph.Hosting;

/// <summary>
/// Runs TEN-style graphs: validates a <see cref="GraphDefinition"/> against an <see cref="AddonRegistry"/>, makes
/// one extension per node, each an actor with its own queues, wires the routes, then inits every extension in node
/// order and starts them all (each one's start runs before anything it is sent).
/// </summary>
/// <example>
/// <code>
/// var host = new GraphHost(new AddonRegistry().AddBuiltIns(), new GraphHostOptions { LoggerFactory = loggers });
/// await using var graph = await host.StartAsync(GraphJson.Load("graphs/default.json"), cancellationToken);
/// await graph.WaitForCompletionAsync(TimeSpan.FromSeconds(3), cancellationToken);
/// await graph.StopAsync(cancellationToken);
/// </code>
/// </example>
public sealed partial class GraphHost
{
    private readonly AddonRegistry _registry;
    private readonly GraphHostOptions _options;
    private readonly ILogger _logger;

    /// <summary>Creates a host over the addons of <paramref name="registry"/>.</summary>
    public GraphHost(AddonRegistry registry, GraphHostOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        _registry = registry;
        _options = options ?? new GraphHostOptions();
        _options.Validate();
        _logger = _options.LoggerFactory.CreateLogger("V2V.Graph");
    }

    /// <summary>Validates a graph without running it.</summary>
    /// <exception cref="GraphValidationException">Every problem of the graph, at once.</exception>
    public GraphPlan Validate(GraphDefinition graph) =>
        GraphValidator.Validate(graph, _registry, _options.Environment, new Dictionary<string, string>(_options.Bindings, StringComparer.Ordinal));

    /// <summary>Validates and starts a graph.</summary>
    /// <exception cref="GraphValidationException">The graph is not valid; nothing was started.</exception>
    /// <exception cref="GraphRunException">An extension failed to init or start; what was started is stopped again.</exception>
    public Task<RunningGraph> StartAsync(GraphDefinition graph, CancellationToken cancellationToken = default) =>
        StartAsync(Validate(graph), cancellationToken);

    /// <summary>
    /// Starts the graphs of a TEN app (<see cref="GraphJson.LoadAll"/>): the one named <paramref name="graphName"/>,
    /// or else every <c>auto_start</c> graph, each its own <see cref="RunningGraph"/> (see <see cref="GraphJson.SelectToStart"/>).
    /// Every graph is validated before any starts; a graph that fails to start stops those started before it.
    /// </summary>
    /// <exception cref="GraphValidationException">Some graph is not valid (each problem names its graph); nothing was started.</exception>
    /// <exception cref="GraphRunException">An extension failed to init or start; what was started is stopped again.</exception>
    public async Task<RunningApp> StartAppAsync(IReadOnlyList<GraphDefinition> graphs, string? graphName = null, CancellationToken cancellationToken = default)
    {
        var selected = GraphJson.SelectToStart(graphs, graphName);
        var plans = new List<GraphPlan>();
        var problems = new List<string>();
        var unknown = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var graph in selected)
        {
            try
            {
                plans.Add(Validate(graph));
            }
            catch (GraphValidationException ex)
            {
                problems.AddRange(ex.Problems.Select(p => $"graph '{graph.Name ?? "(unnamed)"}': {p}"));
                foreach (var (node, addon) in ex.UnknownAddons)
                {
                    unknown.TryAdd(node, addon);
                }
            }
        }
        if (problems.Count > 0)
        {
            throw new GraphValidationException(problems) { UnknownAddons = unknown };
        }
        var running = new List<RunningGraph>();
        try
        {
            foreach (var plan in plans)
            {
                running.Add(await StartAsync(plan, cancellationToken).ConfigureAwait(false));
            }
        }
        catch
        {
            await new RunningApp(running).DisposeAsync().ConfigureAwait(false);
            throw;
        }
        return new RunningApp(running);
    }

    /// <summary>Starts a validated graph.</summary>
    /// <exception cref="GraphRunException">An extension failed to be created, to init or to start; what was started is stopped again.</exception>
    public async Task<RunningGraph> StartAsync(GraphPlan plan, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var activity = new GraphActivity(_options.TimeProvider);
        var actors = new List<ExtensionActor>(plan.Nodes.Count);
        foreach (var node in plan.Nodes)
        {
            Ten.Extension extension;
            try
            {
                extension = node.Addon.Create();
            }
            catch (Exception ex)
            {
                throw new GraphRunException($"'{node.Name}': the addon '{node.Addon.Name}' failed to create an instance: {ex.Message}", ex);
            }
            // Each run gets its own copy: an extension may write its properties.
            var env = new ExtensionEnv(node.Name, (JsonObject)node.Properties.DeepClone(), _options.LoggerFactory.CreateLogger(node.Name), activity);
            var actor = new ExtensionActor(node.Name, extension, env, _options.MessageQueueCapacity, activity, env.Logger);
            env.Self = actor;
            actors.Add(actor);
        }
        foreach (var note in plan.Notes)
        {
            LogNote(_logger, plan.Name ?? "graph", note);
        }
        Wire(plan, actors);
        await InitAsync(actors, cancellationToken).ConfigureAwait(false);
        activity.SendingAllowed = true;
        var graph = new RunningGraph(plan, actors, activity, _logger);
        await graph.StartAsync(cancellationToken).ConfigureAwait(false);
        return graph;
    }

    private void Wire(GraphPlan plan, List<ExtensionActor> actors)
    {
        var byName = actors.ToDictionary(a => a.Name, StringComparer.Ordinal);
        foreach (var route in plan.Routes)
        {
            var targets = route.Destinations.Select(d => new RouteTarget(byName[d], route.ConversionTo(d))).ToList();
            if (route.Kind == MessageKind.VideoFrame)
            {
                // An extension without a video handler would only drop the frames: they are not sent to it at all.
                foreach (var skipped in targets.Where(t => !t.Actor.TakesVideo))
                {
                    LogVideoSkipped(_logger, skipped.Actor.Name, route.MessageName, route.Source);
                }
                targets.RemoveAll(t => !t.Actor.TakesVideo);
            }
            byName[route.Source].Env.Routes.Add(route.Kind, route.MessageName, [.. targets]);
        }
    }

    // Init runs here, one extension after the other, before any loop: an init failure deinits those done, in reverse.
    private async Task InitAsync(List<ExtensionActor> actors, CancellationToken cancellationToken)
    {
        for (var i = 0; i < actors.Count; i++)
        {
            try
            {
                await actors[i].Extension.OnInitAsync(actors[i].Env, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                for (var j = i - 1; j >= 0; j--)
                {
                    try
                    {
                        await actors[j].Extension.OnDeinitAsync(actors[j].Env, CancellationToken.None).ConfigureAwait(false);
                    }
                    catch (Exception deinitFailure)
                    {
                        LogDeinitFailed(_logger, actors[j].Name, deinitFailure);
                    }
                }
                if (ex is OperationCanceledException && cancellationToken.IsCancellationRequested)
                {
                    throw;
                }
                throw new GraphRunException($"'{actors[i].Name}' failed to init: {ex.Message}", ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Graph}: {Note}")]
    private static partial void LogNote(ILogger logger, string graph, string note);

    [LoggerMessage(Level = LogLevel.Debug, Message = "'{Extension}' has no video handler: video_frame '{Message}' from '{Source}' is not delivered to it.")]
    private static partial void LogVideoSkipped(ILogger logger, string extension, string message, string source);

    [LoggerMessage(Level = LogLevel.Warning, Message = "'{Extension}' failed to deinit after another extension's init failed.")]
    private static partial void LogDeinitFailed(ILogger logger, string extension, Exception exception);
}
