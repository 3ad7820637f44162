using System.Text.Json;
using System.Text.Json.Nodes;

namespace V2V.Graph.Definition;

/// <summary>
/// Reads TEN graph JSON. Accepted shapes: a bare graph <c>{"nodes": [...], "connections": [...]}</c>; a predefined
/// graph <c>{"name": ..., "graph": {nodes, connections}}</c> (or with nodes and connections beside the name, as
/// older TEN wrote them); or a whole app property.json <c>{"_ten": {"predefined_graphs": [...]}}</c> (also <c>"ten"</c>).
/// </summary>
public static class GraphJson
{
    private static readonly JsonDocumentOptions Options = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    /// <summary>Reads a graph file; <paramref name="graphName"/> picks one of several predefined graphs.</summary>
    /// <exception cref="GraphValidationException">The file cannot be read or is not a graph; every problem is listed.</exception>
    public static GraphDefinition Load(string path, string? graphName = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string json;
        try
        {
            json = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new GraphValidationException($"cannot read the graph file '{path}': {ex.Message}");
        }
        return Parse(json, graphName, path);
    }

    /// <summary>Reads graph JSON; <paramref name="source"/> names it in messages.</summary>
    /// <exception cref="GraphValidationException">The JSON is not a graph; every problem is listed.</exception>
    public static GraphDefinition Parse(string json, string? graphName = null, string source = "graph")
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonObject root;
        try
        {
            root = JsonNode.Parse(json, documentOptions: Options) as JsonObject
                ?? throw new GraphValidationException($"{source}: a graph must be a JSON object.");
        }
        catch (JsonException ex)
        {
            throw new GraphValidationException($"{source}: not valid JSON: {ex.Message}");
        }
        var (graph, name) = SelectGraph(root, graphName, source);
        var problems = new List<string>();
        var nodes = ReadNodes(graph, source, problems);
        var routes = ReadConnections(graph, source, problems);
        if (problems.Count > 0)
        {
            throw new GraphValidationException(problems);
        }
        return new GraphDefinition(name, nodes, routes);
    }

    private static (JsonObject Graph, string? Name) SelectGraph(JsonObject root, string? graphName, string source)
    {
        var ten = root["_ten"] as JsonObject ?? root["ten"] as JsonObject ?? root;
        if (ten["predefined_graphs"] is not JsonArray predefined)
        {
            if (graphName is not null && root["name"]?.GetValueKind() == JsonValueKind.String && Text(root["name"]) != graphName)
            {
                throw new GraphValidationException($"{source}: the graph is named '{Text(root["name"])}', not '{graphName}'.");
            }
            return (Unwrap(root, source), Text(root["name"]));
        }
        var graphs = predefined.OfType<JsonObject>().ToList();
        if (graphs.Count == 0)
        {
            throw new GraphValidationException($"{source}: predefined_graphs is empty.");
        }
        JsonObject? chosen;
        if (graphName is not null)
        {
            chosen = graphs.FirstOrDefault(g => Text(g["name"]) == graphName)
                ?? throw new GraphValidationException($"{source}: no predefined graph named '{graphName}' (graphs: {string.Join(", ", graphs.Select(g => Text(g["name"]) ?? "(unnamed)"))}).");
        }
        else
        {
            // TEN starts the auto_start graphs; with several, the first one is the one a single-graph host runs.
            chosen = graphs.FirstOrDefault(g => g["auto_start"]?.GetValueKind() == JsonValueKind.True) ?? graphs[0];
        }
        var name = Text(chosen["name"]);
        return (Unwrap(chosen, $"{source}: predefined graph '{name}'"), name);
    }

    // Newer TEN nests nodes and connections under "graph"; older TEN put them beside the graph's name.
    private static JsonObject Unwrap(JsonObject entry, string source) =>
        entry["graph"] as JsonObject
        ?? (entry["nodes"] is not null ? entry : throw new GraphValidationException($"{source}: no \"nodes\" (expected {{\"nodes\": [...], \"connections\": [...]}}, a predefined graph, or a property.json with _ten.predefined_graphs)."));

    private static List<GraphNode> ReadNodes(JsonObject graph, string source, List<string> problems)
    {
        var nodes = new List<GraphNode>();
        if (graph["nodes"] is not JsonArray array)
        {
            problems.Add($"{source}: \"nodes\" must be an array.");
            return nodes;
        }
        for (var i = 0; i < array.Count; i++)
        {
            var where = $"nodes[{i}]";
            if (array[i] is not JsonObject node)
            {
                problems.Add($"{where}: a node must be an object.");
                continue;
            }
            var name = Text(node["name"]);
            var label = name is null ? where : $"node '{name}'";
            var type = Text(node["type"]) ?? "extension";
            if (type != "extension")
            {
                problems.Add($"{label}: node type '{type}' is not supported (only \"extension\"; subgraphs and selectors are not).");
                continue;
            }
            var addon = Text(node["addon"]);
            if (string.IsNullOrWhiteSpace(name))
            {
                problems.Add($"{where}: \"name\" is missing.");
            }
            if (string.IsNullOrWhiteSpace(addon))
            {
                problems.Add($"{label}: \"addon\" is missing.");
            }
            JsonObject property = [];
            if (node["property"] is JsonObject p)
            {
                property = (JsonObject)p.DeepClone();
            }
            else if (node["property"] is not null)
            {
                problems.Add($"{label}: \"property\" must be an object.");
            }
            if (!string.IsNullOrWhiteSpace(name) && !string.IsNullOrWhiteSpace(addon))
            {
                nodes.Add(new GraphNode(name, addon, Text(node["extension_group"]), property));
            }
        }
        return nodes;
    }

    private static List<GraphRoute> ReadConnections(JsonObject graph, string source, List<string> problems)
    {
        var routes = new List<GraphRoute>();
        if (graph["connections"] is null)
        {
            return routes;
        }
        if (graph["connections"] is not JsonArray array)
        {
            problems.Add($"{source}: \"connections\" must be an array.");
            return routes;
        }
        for (var i = 0; i < array.Count; i++)
        {
            var where = $"connections[{i}]";
            if (array[i] is not JsonObject connection)
            {
                problems.Add($"{where}: a connection must be an object.");
                continue;
            }
            var from = Text(connection["extension"]);
            if (string.IsNullOrWhiteSpace(from))
            {
                problems.Add($"{where}: \"extension\" (the source node) is missing.");
                continue;
            }
            foreach (var kind in MessageKinds.All)
            {
                ReadFlows(connection[kind.Key()], from, kind, $"{where}.{kind.Key()}", routes, problems);
            }
            if (connection["video_frame"] is not null)
            {
                problems.Add($"{where}: video_frame routes from '{from}' are not supported.");
            }
        }
        return routes;
    }

    private static void ReadFlows(JsonNode? flows, string from, MessageKind kind, string where, List<GraphRoute> routes, List<string> problems)
    {
        if (flows is null)
        {
            return;
        }
        if (flows is not JsonArray array)
        {
            problems.Add($"{where} (from '{from}'): must be an array.");
            return;
        }
        for (var j = 0; j < array.Count; j++)
        {
            var at = $"{where}[{j}]";
            if (array[j] is not JsonObject flow)
            {
                problems.Add($"{at} (from '{from}'): must be an object.");
                continue;
            }
            // TEN writes one "name"; newer TEN also allows "names" for several messages with the same destinations.
            var names = Text(flow["name"]) is { } single ? [single] : (flow["names"] as JsonArray ?? []).Select(Text).OfType<string>().ToList();
            if (names.Count == 0)
            {
                problems.Add($"{at} (from '{from}'): the message \"name\" is missing.");
                continue;
            }
            var destinations = new List<string>();
            if (flow["dest"] is not JsonArray dest || dest.Count == 0)
            {
                problems.Add($"{at}: {kind.Key()} '{names[0]}' from '{from}' has no \"dest\".");
                continue;
            }
            foreach (var d in dest)
            {
                var to = Text(d?["extension"]);
                if (string.IsNullOrWhiteSpace(to))
                {
                    problems.Add($"{at}: a destination of {kind.Key()} '{names[0]}' from '{from}' has no \"extension\".");
                    continue;
                }
                destinations.Add(to);
            }
            foreach (var name in names)
            {
                routes.Add(new GraphRoute(from, kind, name, destinations, at));
            }
        }
    }

    private static string? Text(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
