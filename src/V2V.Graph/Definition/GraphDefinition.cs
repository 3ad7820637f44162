using System.Text.Json.Nodes;

namespace V2V.Graph.Definition;

/// <summary>
/// A graph as written: its nodes and routes, not yet checked against the addons. Read one with
/// <see cref="GraphJson.Parse"/> or <see cref="GraphJson.Load"/>; check and run it with <see cref="Hosting.GraphHost"/>.
/// </summary>
public sealed class GraphDefinition
{
    /// <summary>Creates a graph from its parts.</summary>
    public GraphDefinition(string? name, IReadOnlyList<GraphNode> nodes, IReadOnlyList<GraphRoute> routes)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        ArgumentNullException.ThrowIfNull(routes);
        Name = name;
        Nodes = nodes;
        Routes = routes;
    }

    /// <summary>The predefined graph's name, when it was read from a property.json.</summary>
    public string? Name { get; }

    /// <summary>
    /// The predefined graph's <c>auto_start</c>: a TEN app starts such graphs on its own
    /// (so does <see cref="Hosting.GraphHost.StartAppAsync"/>). A bare graph file counts as auto_start.
    /// </summary>
    public bool AutoStart { get; init; } = true;

    /// <summary>The nodes, in the order written: extensions start in this order and stop in the reverse.</summary>
    public IReadOnlyList<GraphNode> Nodes { get; }

    /// <summary>The routes, one per source, kind and message name.</summary>
    public IReadOnlyList<GraphRoute> Routes { get; }

    /// <summary>
    /// Applies <c>node.property=value</c> assignments (the CLI's <c>--set</c>) to the nodes' properties. The value is
    /// kept as text (the manifest's type reads it, as for <c>${env:}</c>) unless it is a JSON object or array.
    /// </summary>
    /// <exception cref="GraphValidationException">An assignment is malformed or names no node; all are reported.</exception>
    public void ApplyOverrides(IEnumerable<string> assignments)
    {
        ArgumentNullException.ThrowIfNull(assignments);
        var problems = new List<string>();
        foreach (var assignment in assignments)
        {
            var equals = assignment.IndexOf('=', StringComparison.Ordinal);
            var dot = equals < 0 ? -1 : assignment.LastIndexOf('.', equals);
            if (equals < 0 || dot <= 0 || dot == equals - 1)
            {
                problems.Add($"--set '{assignment}': expected node.property=value, e.g. source.path=question.wav.");
                continue;
            }
            var nodeName = assignment[..dot];
            var property = assignment[(dot + 1)..equals];
            var text = assignment[(equals + 1)..];
            var node = Nodes.FirstOrDefault(n => n.Name == nodeName);
            if (node is null)
            {
                problems.Add($"--set '{assignment}': the graph has no node '{nodeName}' (nodes: {string.Join(", ", Nodes.Select(n => n.Name))}).");
                continue;
            }
            node.Property[property] = ParseValue(text);
        }
        if (problems.Count > 0)
        {
            throw new GraphValidationException(problems);
        }
    }

    private static JsonNode? ParseValue(string text)
    {
        var trimmed = text.TrimStart();
        if (trimmed.StartsWith('{') || trimmed.StartsWith('['))
        {
            try
            {
                return JsonNode.Parse(text);
            }
            catch (System.Text.Json.JsonException)
            {
                // Not JSON after all: a string that starts with a bracket.
            }
        }
        return JsonValue.Create(text);
    }
}
