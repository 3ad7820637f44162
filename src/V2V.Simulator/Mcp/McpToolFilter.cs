using System.Text.Json.Nodes;

namespace V2V.Simulator.Mcp;

/// <summary>
/// Which of a server's tools an <c>allowed_tools</c> or a <c>require_approval</c> filter names: by name
/// (<c>tool_names</c>), by being read-only (<c>read_only</c>: tools annotated <c>readOnlyHint: true</c>), or both
/// (a tool must then match both). A filter that names nothing matches every tool.
/// </summary>
internal sealed record McpToolFilter(IReadOnlySet<string>? ToolNames, bool? ReadOnly)
{
    /// <summary>An array of names or a filter object (schema <c>MCPToolFilter</c>); null (or absent): no filter.</summary>
    public static McpToolFilter? Parse(JsonNode? node) => node switch
    {
        JsonArray names => new McpToolFilter(Names(names), null),
        JsonObject filter => new McpToolFilter(
            filter["tool_names"] is JsonArray named ? Names(named) : null,
            filter["read_only"] is JsonValue readOnly && readOnly.TryGetValue<bool>(out var flag) ? flag : null),
        _ => null,
    };

    public bool Matches(McpListedTool tool) =>
        (ToolNames is null || ToolNames.Contains(tool.Name)) && (ReadOnly is not { } readOnly || tool.IsReadOnly == readOnly);

    private static HashSet<string> Names(JsonArray names) =>
        names.OfType<JsonValue>().Select(n => n.TryGetValue<string>(out var name) ? name : null).OfType<string>().ToHashSet(StringComparer.Ordinal);
}
