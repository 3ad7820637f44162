using V2V.Graph.Definition;
using V2V.Ten;

namespace V2V.Graph.Validation;

/// <summary>
/// Checks a graph against the registered addons and reports every problem at once: unknown addons, duplicate
/// node names, routes from or to no node, messages a manifest does not declare (after a destination's rename),
/// conversions of frames, and properties that fail the manifest (through
/// <see cref="TenProperties.Resolve"/>). Data or frame cycles of one message name are noted (<see cref="GraphPlan.Notes"/>).
/// Bindings replace nodes' addons first (see <see cref="NodeBinder"/>).
/// </summary>
public static class GraphValidator
{
    /// <summary>
    /// Validates <paramref name="graph"/>. <paramref name="environment"/> resolves <c>${env:NAME}</c> (default: the
    /// process environment); <paramref name="bindings"/> (node name to addon name) replace nodes' addons.
    /// </summary>
    /// <exception cref="GraphValidationException">The graph cannot run; every problem is listed, and <see cref="GraphValidationException.UnknownAddons"/> names the nodes to bind.</exception>
    public static GraphPlan Validate(GraphDefinition graph, AddonRegistry registry, Func<string, string?>? environment = null, IReadOnlyDictionary<string, string>? bindings = null)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(registry);
        var problems = new List<string>();
        var notes = new List<string>();
        var unknown = new Dictionary<string, string>(StringComparer.Ordinal);
        graph = NodeBinder.Bind(graph, registry, bindings, problems, notes);
        var nodes = PlanNodes(graph, registry, environment, problems, unknown);
        var routes = MergeRoutes(graph.Routes);
        var known = new HashSet<string>(graph.Nodes.Select(n => n.Name), StringComparer.Ordinal);
        foreach (var route in routes)
        {
            CheckRoute(route, known, nodes, problems);
        }
        FindCycles(routes, known, notes);
        if (graph.Nodes.Count == 0)
        {
            problems.Add("the graph has no nodes.");
        }
        if (problems.Count > 0)
        {
            throw new GraphValidationException(problems) { UnknownAddons = unknown };
        }
        return new GraphPlan(graph.Name, [.. nodes.Values], routes) { Notes = notes };
    }

    // Dictionary preserves insertion order when nothing is removed: node order is start order.
    private static Dictionary<string, PlannedNode> PlanNodes(GraphDefinition graph, AddonRegistry registry, Func<string, string?>? environment, List<string> problems, Dictionary<string, string> unknown)
    {
        var planned = new Dictionary<string, PlannedNode>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in graph.Nodes)
        {
            if (!seen.Add(node.Name))
            {
                problems.Add($"node '{node.Name}' is declared more than once; node names must be unique.");
                continue;
            }
            if (!registry.TryGet(node.Addon, out var addon))
            {
                var why = registry.WhyUnknown(node.Addon) is { } reason ? $": {reason}" : "";
                problems.Add($"node '{node.Name}': unknown addon '{node.Addon}'{why}. Bind the node to an addon of this host ({string.Join(", ", registry.Names)}), e.g. --bind {node.Name}=ADDON.");
                unknown[node.Name] = node.Addon;
                continue;
            }
            try
            {
                var properties = TenProperties.Resolve(addon.Manifest, addon.DefaultProperties, node.Property, environment);
                planned.Add(node.Name, new PlannedNode(node.Name, addon, properties));
            }
            catch (TenPropertyException ex)
            {
                problems.Add($"node '{node.Name}' ({node.Addon}): {ex.Message}");
            }
        }
        return planned;
    }

    private static List<GraphRoute> MergeRoutes(IReadOnlyList<GraphRoute> routes)
    {
        var merged = new List<GraphRoute>();
        var index = new Dictionary<(string, MessageKind, string), int>();
        foreach (var route in routes)
        {
            var key = (route.Source, route.Kind, route.MessageName);
            if (index.TryGetValue(key, out var at))
            {
                var conversions = new Dictionary<string, MessageConversion>(merged[at].Conversions, StringComparer.Ordinal);
                foreach (var (destination, conversion) in route.Conversions)
                {
                    conversions.TryAdd(destination, conversion);
                }
                merged[at] = merged[at] with { Destinations = [.. merged[at].Destinations, .. route.Destinations], Conversions = conversions };
            }
            else
            {
                index.Add(key, merged.Count);
                merged.Add(route);
            }
        }
        return merged;
    }

    private static void CheckRoute(GraphRoute route, HashSet<string> known, Dictionary<string, PlannedNode> nodes, List<string> problems)
    {
        if (!known.Contains(route.Source))
        {
            problems.Add($"{route.Location}: {route}: the source '{route.Source}' is not a node of the graph.");
            return;
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var destination in route.Destinations)
        {
            var where = $"{route.Location}: {route} to '{destination}'";
            if (!seen.Add(destination))
            {
                problems.Add($"{where}: the destination is listed twice.");
                continue;
            }
            var conversion = route.ConversionTo(destination);
            if (conversion is not null && route.Kind is MessageKind.AudioFrame or MessageKind.VideoFrame)
            {
                problems.Add($"{where}: msg_conversion of {route.Kind.Key()} is not supported here (frames pass unchanged); convert cmd or data instead.");
            }
            if (conversion?.Result is not null && route.Kind != MessageKind.Cmd)
            {
                problems.Add($"{where}: msg_conversion.result applies to commands only.");
            }
            if (!known.Contains(destination))
            {
                problems.Add($"{where}: the destination '{destination}' is not a node of the graph.");
                continue;
            }
            // A node whose addon is unknown or whose properties failed was reported already; its manifest is unknown here.
            if (nodes.TryGetValue(route.Source, out var source) && Undeclared(source, route.Kind.OutKey(), route.MessageName) is { } outProblem)
            {
                problems.Add($"{where}: '{route.Source}' {outProblem}");
            }
            if (nodes.TryGetValue(destination, out var target) && Undeclared(target, route.Kind.InKey(), conversion?.ConvertName(route.MessageName) ?? route.MessageName) is { } inProblem)
            {
                problems.Add($"{where}: '{destination}' {inProblem}");
            }
        }
    }

    // A manifest that declares no message of a kind is taken as not saying: lenient, as TEN is for schema-less extensions.
    private static string? Undeclared(PlannedNode node, string key, string message)
    {
        var declared = node.Addon.Manifest.MessageNames(key).ToList();
        if (declared.Count == 0 || declared.Contains(message, StringComparer.Ordinal))
        {
            return null;
        }
        return $"({node.Addon.Name}) does not declare '{message}' in {key} (it declares: {string.Join(", ", declared)}).";
    }

    // Data and frames are pushed without an answer: a cycle of one message name circulates for ever if every extension on
    // it passes the message on, and with bounded queues in Wait mode deadlocks when every queue on it is full. But TEN's
    // own graphs have such cycles that are not (a transport takes the agent's pcm_frame and sends the user's): so a
    // cycle is a note for the log, not a refusal. Commands may cycle (each awaits a result).
    private static void FindCycles(List<GraphRoute> routes, HashSet<string> known, List<string> notes)
    {
        foreach (var group in routes.Where(r => r.Kind != MessageKind.Cmd).GroupBy(r => (r.Kind, r.MessageName)))
        {
            var edges = group.ToDictionary(r => r.Source, r => r.Destinations.Where(known.Contains).ToList(), StringComparer.Ordinal);
            var state = new Dictionary<string, int>(StringComparer.Ordinal); // 1: on the path, 2: done
            var path = new List<string>();
            foreach (var start in edges.Keys)
            {
                if (Visit(start, edges, state, path) is { } cycle)
                {
                    notes.Add($"{group.Key.Kind.Key()} '{group.Key.MessageName}' routes form a cycle: {string.Join(" -> ", cycle)}; an extension on it that passes the message on makes it circulate for ever.");
                    break;
                }
            }
        }
    }

    private static List<string>? Visit(string node, Dictionary<string, List<string>> edges, Dictionary<string, int> state, List<string> path)
    {
        if (state.TryGetValue(node, out var s))
        {
            return s == 1 ? [.. path.Skip(path.IndexOf(node)), node] : null;
        }
        state[node] = 1;
        path.Add(node);
        foreach (var next in edges.GetValueOrDefault(node) ?? [])
        {
            if (Visit(next, edges, state, path) is { } cycle)
            {
                return cycle;
            }
        }
        path.RemoveAt(path.Count - 1);
        state[node] = 2;
        return null;
    }
}
