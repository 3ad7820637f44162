using System.Text.Json.Nodes;

namespace V2V.Simulator.Mcp;

/// <summary>
/// An mcp tool's <c>require_approval</c>: <c>"always"</c>, <c>"never"</c>, or a filter object
/// <c>{always: {...}, never: {...}}</c>. Absent (or null) is <c>"always"</c>, the service's default (the schema's
/// <c>default</c>, and the Responses API's documented one). Under a filter object a tool that matches
/// <c>always</c> needs approval, one that matches only <c>never</c> does not, and one that matches neither does:
/// approval is what is left when nothing says otherwise.
/// </summary>
internal sealed record McpApproval(bool Otherwise, McpToolFilter? Always, McpToolFilter? Never)
{
    public static McpApproval Parse(JsonNode? node) => node switch
    {
        JsonValue value when value.TryGetValue<string>(out var setting) => new McpApproval(setting != "never", null, null),
        JsonObject filters => new McpApproval(true, McpToolFilter.Parse(filters["always"]), McpToolFilter.Parse(filters["never"])),
        _ => new McpApproval(true, null, null),
    };

    public bool IsRequiredFor(McpListedTool tool) =>
        Always?.Matches(tool) == true || (Never?.Matches(tool) != true && Otherwise);
}
