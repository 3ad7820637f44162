using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using V2V.Graph.Definition;
using V2V.Graph.Validation;

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
    public GraphPlan Validate(GraphDefinition graph) => GraphValidator.Validate(graph, _registry, _options.Environment);

    /// <summary>Validates and starts a graph.</summary>
    /// <exception cref="GraphValidationException">The graph is not valid; nothing was started.</exception>
    /// <exception cref="GraphRunException">An extension failed to init or start; what was started is stopped again.</exception>
    public Task<RunningGraph> StartAsync(GraphDefinition graph, CancellationToken cancellationToken = default) =>
        StartAsync(Validate(graph), cancellationToken);

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
        var byName = actors.ToDictionary(a => a.Name, StringComparer.Ordinal);
        foreach (var route in plan.Routes)
        {
            byName[route.Source].Env.Routes.Add(route.Kind, route.MessageName, [.. route.Destinations.Select(d => byName[d])]);
        }
        await InitAsync(actors, cancellationToken).ConfigureAwait(false);
        activity.SendingAllowed = true;
        var graph = new RunningGraph(plan, actors, activity, _logger);
        await graph.StartAsync(cancellationToken).ConfigureAwait(false);
        return graph;
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "'{Extension}' failed to deinit after another extension's init failed.")]
    private static partial void LogDeinitFailed(ILogger logger, string extension, Exception exception);
}
