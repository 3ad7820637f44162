using System.Text.Json.Nodes;

namespace V2V.Simulator.Mcp;

/// <summary>
/// A tool an MCP server listed (an entry of its <c>tools/list</c> result), as a <c>mcp_list_tools</c> item shows it:
/// <c>name</c>, <c>description</c>, <c>input_schema</c> and <c>annotations</c> (where <c>readOnlyHint</c> says it changes nothing).
/// </summary>
internal sealed record McpListedTool(string Name, string? Description, JsonObject InputSchema, JsonObject? Annotations)
{
    /// <summary>Annotated <c>readOnlyHint: true</c>: what an <c>allowed_tools</c> or approval filter's <c>read_only</c> matches.</summary>
    public bool IsReadOnly => Annotations?["readOnlyHint"] is JsonValue hint && hint.TryGetValue<bool>(out var readOnly) && readOnly;

    /// <summary>An entry of <c>tools/list</c> (MCP's camelCase names); null when it has no name, which no call could use.</summary>
    public static McpListedTool? FromMcp(JsonNode? tool)
    {
        if (tool is not JsonObject entry || entry["name"] is not JsonValue name || !name.TryGetValue<string>(out var text) || text.Length == 0)
        {
            return null;
        }

        var description = entry["description"] is JsonValue d && d.TryGetValue<string>(out var words) ? words : null;
        // A server that gives no schema takes no arguments: the empty object schema says so.
        var schema = entry["inputSchema"] is JsonObject given ? (JsonObject)given.DeepClone() : new JsonObject { ["type"] = "object" };
        return new McpListedTool(text, description, schema, entry["annotations"]?.DeepClone() as JsonObject);
    }

    /// <summary>The entry of the <c>tools</c> of a <c>mcp_list_tools</c> item (the realtime protocol's snake_case names).</summary>
    public JsonObject ToJson() => new()
    {
        ["name"] = Name,
        ["description"] = Description,
        ["input_schema"] = InputSchema.DeepClone(),
        ["annotations"] = Annotations?.DeepClone(),
    };
}
