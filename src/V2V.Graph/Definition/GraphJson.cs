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

    /// <summary>
    /// Reads one graph from a file: the predefined graph named <paramref name="graphName"/>, or else the first
    /// <c>auto_start</c> one (or the first of all): what a host that runs one graph at a time needs, such as a browser
    /// tab. <see cref="LoadAll"/> reads every graph of a TEN app.
    /// </summary>
    /// <exception cref="GraphValidationException">The file cannot be read or is not a graph; every problem is listed.</exception>
    public static GraphDefinition Load(string path, string? graphName = null) => Parse(ReadFile(path), graphName, path);

    /// <summary>Reads one graph from JSON (see <see cref="Load"/>); <paramref name="source"/> names it in messages.</summary>
    /// <exception cref="GraphValidationException">The JSON is not a graph; every problem is listed.</exception>
    public static GraphDefinition Parse(string json, string? graphName = null, string source = "graph")
    {
        var root = ParseRoot(json, source);
        if (Predefined(root, source) is not { } graphs)
        {
            if (graphName is not null && root["name"]?.GetValueKind() == JsonValueKind.String && Text(root["name"]) != graphName)
            {
                throw new GraphValidationException($"{source}: the graph is named '{Text(root["name"])}', not '{graphName}'.");
            }
            return Read(root, source, predefined: false);
        }
        JsonObject chosen;
        if (graphName is not null)
        {
            chosen = graphs.FirstOrDefault(g => Text(g["name"]) == graphName)
                ?? throw new GraphValidationException($"{source}: no predefined graph named '{graphName}' (graphs: {Names(graphs)}).");
        }
        else
        {
            chosen = graphs.FirstOrDefault(IsAutoStart) ?? graphs[0];
        }
        return Read(chosen, source, predefined: true);
    }

    /// <summary>Reads every graph of a file: each predefined graph of an app's property.json, or the file's one graph.</summary>
    /// <exception cref="GraphValidationException">The file cannot be read or some graph is malformed; every problem is listed.</exception>
    public static IReadOnlyList<GraphDefinition> LoadAll(string path) => ParseAll(ReadFile(path), path);

    /// <summary>Reads every graph of JSON (see <see cref="LoadAll"/>).</summary>
    /// <exception cref="GraphValidationException">The JSON is not a graph or some graph is malformed; every problem is listed.</exception>
    public static IReadOnlyList<GraphDefinition> ParseAll(string json, string source = "graph")
    {
        var root = ParseRoot(json, source);
        if (Predefined(root, source) is not { } graphs)
        {
            return [Read(root, source, predefined: false)];
        }
        var all = new List<GraphDefinition>();
        var problems = new List<string>();
        foreach (var graph in graphs)
        {
            try
            {
                all.Add(Read(graph, source, predefined: true));
            }
            catch (GraphValidationException ex)
            {
                problems.AddRange(ex.Problems);
            }
        }
        return problems.Count > 0 ? throw new GraphValidationException(problems) : all;
    }

    /// <summary>
    /// The graphs a TEN app starts: the one named <paramref name="graphName"/>, or else every <c>auto_start</c> graph
    /// (in this host each runs as its own <see cref="Hosting.RunningGraph"/>, with its own extension instances, as
    /// TEN runs each in its own engine).
    /// </summary>
    /// <exception cref="GraphValidationException">No graph has that name, or none is auto_start.</exception>
    public static IReadOnlyList<GraphDefinition> SelectToStart(IReadOnlyList<GraphDefinition> graphs, string? graphName = null)
    {
        ArgumentNullException.ThrowIfNull(graphs);
        var names = string.Join(", ", graphs.Select(g => g.Name ?? "(unnamed)"));
        if (graphName is not null)
        {
            return [graphs.FirstOrDefault(g => g.Name == graphName)
                ?? throw new GraphValidationException($"no predefined graph named '{graphName}' (graphs: {names}).")];
        }
        var auto = graphs.Where(g => g.AutoStart).ToList();
        return auto.Count > 0 ? auto : throw new GraphValidationException($"no graph is auto_start: name the one to run (graphs: {names}).");
    }

    private static string ReadFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new GraphValidationException($"cannot read the graph file '{path}': {ex.Message}");
        }
    }

    private static JsonObject ParseRoot(string json, string source)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            return JsonNode.Parse(json, documentOptions: Options) as JsonObject
                ?? throw new GraphValidationException($"{source}: a graph must be a JSON object.");
        }
        catch (JsonException ex)
        {
            throw new GraphValidationException($"{source}: not valid JSON: {ex.Message}");
        }
    }

    // An app's property.json keeps its graphs under "_ten" (TEN up to 0.9) or "ten" (0.10+); null when it is a graph itself.
    private static List<JsonObject>? Predefined(JsonObject root, string source)
    {
        var ten = root["_ten"] as JsonObject ?? root["ten"] as JsonObject ?? root;
        if (ten["predefined_graphs"] is not JsonArray predefined)
        {
            return null;
        }
        var graphs = predefined.OfType<JsonObject>().ToList();
        return graphs.Count > 0 ? graphs : throw new GraphValidationException($"{source}: predefined_graphs is empty.");
    }

    private static GraphDefinition Read(JsonObject entry, string source, bool predefined)
    {
        var name = Text(entry["name"]);
        var where = name is null ? source : $"{source}: predefined graph '{name}'";
        var graph = Unwrap(entry, where);
        var problems = new List<string>();
        var nodes = ReadNodes(graph, where, problems);
        var routes = ConnectionReader.Read(graph, where, problems);
        if (problems.Count > 0)
        {
            throw new GraphValidationException(problems);
        }
        // A bare graph file is there to be run; a predefined graph starts on its own only with auto_start true (TEN's default is false).
        return new GraphDefinition(name, nodes, routes) { AutoStart = predefined ? IsAutoStart(entry) : true };
    }

    private static bool IsAutoStart(JsonObject graph) => graph["auto_start"]?.GetValueKind() == JsonValueKind.True;

    private static string Names(List<JsonObject> graphs) => string.Join(", ", graphs.Select(g => Text(g["name"]) ?? "(unnamed)"));

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

    private static string? Text(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
