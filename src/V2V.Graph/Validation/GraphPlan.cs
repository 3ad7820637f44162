using V2V.Graph.Definition;

namespace V2V.Graph.Validation;

/// <summary>
/// A validated graph, ready to run: every node's addon is known and its properties resolved, every route goes
/// between nodes, carries messages their manifests declare, and data and audio routes have no cycle.
/// Routes with the same source, kind and message name are merged into one.
/// </summary>
public sealed class GraphPlan
{
    internal GraphPlan(string? name, IReadOnlyList<PlannedNode> nodes, IReadOnlyList<GraphRoute> routes)
    {
        Name = name;
        Nodes = nodes;
        Routes = routes;
    }

    /// <summary>The graph's name, if it has one.</summary>
    public string? Name { get; }

    /// <summary>The nodes in start order.</summary>
    public IReadOnlyList<PlannedNode> Nodes { get; }

    /// <summary>The routes, one per source, kind and message name.</summary>
    public IReadOnlyList<GraphRoute> Routes { get; }

    /// <summary>What validation changed and the host logs: e.g. a bound node's properties that were written for its former addon and left out.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];
}
