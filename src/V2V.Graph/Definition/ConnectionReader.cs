using System.Text.Json.Nodes;

namespace V2V.Graph.Definition;

/// <summary>
/// Reads a graph's <c>connections</c> into routes. A connection names an extension and, per message kind, flows:
/// <c>{"name" (or "names"), "dest": [...]}</c> sends the named messages from that extension to each destination;
/// <c>{"name", "source": [...]}</c> (TEN 0.10+) has each source send them to that extension. A flow may have both.
/// A destination or source may carry a <c>msg_conversion</c>, applied on that one way.
/// </summary>
internal static class ConnectionReader
{
    public static List<GraphRoute> Read(JsonObject graph, string source, List<string> problems)
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
            var extension = Text(connection["extension"]);
            if (string.IsNullOrWhiteSpace(extension))
            {
                problems.Add($"{where}: \"extension\" (the node the flows go out of or into) is missing.");
                continue;
            }
            foreach (var kind in MessageKinds.All)
            {
                ReadFlows(connection[kind.Key()], extension, kind, $"{where}.{kind.Key()}", routes, problems);
            }
        }
        return routes;
    }

    private static void ReadFlows(JsonNode? flows, string extension, MessageKind kind, string where, List<GraphRoute> routes, List<string> problems)
    {
        if (flows is null)
        {
            return;
        }
        if (flows is not JsonArray array)
        {
            problems.Add($"{where} (of '{extension}'): must be an array.");
            return;
        }
        for (var j = 0; j < array.Count; j++)
        {
            var at = $"{where}[{j}]";
            if (array[j] is not JsonObject flow)
            {
                problems.Add($"{at} (of '{extension}'): must be an object.");
                continue;
            }
            // TEN writes one "name"; newer TEN also allows "names" for several messages with the same ends.
            var names = Text(flow["name"]) is { } single ? [single] : (flow["names"] as JsonArray ?? []).Select(Text).OfType<string>().ToList();
            if (names.Count == 0)
            {
                problems.Add($"{at} (of '{extension}'): the message \"name\" is missing.");
                continue;
            }
            if (flow["dest"] is null && flow["source"] is null)
            {
                problems.Add($"{at}: {kind.Key()} '{names[0]}' of '{extension}' has neither \"dest\" nor \"source\".");
                continue;
            }
            if (ReadEnds(flow["dest"], "dest", at, kind, names[0], extension, problems) is { } destinations && destinations.Count > 0)
            {
                var conversions = destinations.Where(d => d.Conversion is not null).ToDictionary(d => d.Node, d => d.Conversion!, StringComparer.Ordinal);
                foreach (var name in names)
                {
                    routes.Add(new GraphRoute(extension, kind, name, [.. destinations.Select(d => d.Node)], at) { Conversions = conversions });
                }
            }
            foreach (var from in ReadEnds(flow["source"], "source", at, kind, names[0], extension, problems) ?? [])
            {
                var conversions = new Dictionary<string, MessageConversion>(StringComparer.Ordinal);
                if (from.Conversion is not null)
                {
                    conversions[extension] = from.Conversion;
                }
                foreach (var name in names)
                {
                    routes.Add(new GraphRoute(from.Node, kind, name, [extension], at) { Conversions = conversions });
                }
            }
        }
    }

    // The destinations or sources of one flow; null when the key is absent.
    private static List<(string Node, MessageConversion? Conversion)>? ReadEnds(JsonNode? node, string key, string at, MessageKind kind, string name, string extension, List<string> problems)
    {
        if (node is null)
        {
            return null;
        }
        var ends = new List<(string, MessageConversion?)>();
        if (node is not JsonArray array || array.Count == 0)
        {
            problems.Add($"{at}: \"{key}\" of {kind.Key()} '{name}' of '{extension}' must be a non-empty array of {{\"extension\": ...}}.");
            return ends;
        }
        for (var k = 0; k < array.Count; k++)
        {
            var other = Text(array[k]?["extension"]);
            if (string.IsNullOrWhiteSpace(other))
            {
                problems.Add($"{at}.{key}[{k}]: an entry of {kind.Key()} '{name}' of '{extension}' has no \"extension\".");
                continue;
            }
            MessageConversion? conversion = null;
            if (array[k]?["msg_conversion"] is { } conversionNode)
            {
                conversion = MessageConversion.Parse(conversionNode, $"{at}.{key}[{k}]", problems);
                if (conversion is null)
                {
                    continue;
                }
            }
            ends.Add((other, conversion));
        }
        return ends;
    }

    private static string? Text(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
