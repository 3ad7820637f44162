using System.Text.Json.Nodes;

namespace V2V.Simulator.Mcp;

/// <summary>
/// One <c>mcp</c> tool of the session as the local server uses it (read from a tool <see cref="McpToolRules"/>
/// accepted): where its server is, what goes with every request to it (<c>authorization</c> as a bearer token, each of
/// <c>headers</c>), which of its tools are listed (<c>allowed_tools</c>) and which calls wait for approval.
/// </summary>
internal sealed record McpServerSettings(
    string ServerLabel,
    Uri ServerUrl,
    string? Authorization,
    IReadOnlyDictionary<string, string> Headers,
    McpToolFilter? AllowedTools,
    McpApproval Approval,
    JsonObject Tool)
{
    /// <summary>The fields that decide what the server lists: a change of any of them lists its tools again.</summary>
    private static readonly string[] ListingFields = ["server_url", "headers", "authorization", "allowed_tools"];

    public static McpServerSettings Parse(JsonObject tool)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (tool["headers"] is JsonObject given)
        {
            foreach (var (name, value) in given)
            {
                if (value is JsonValue text && text.TryGetValue<string>(out var header))
                {
                    headers[name] = header;
                }
            }
        }

        return new McpServerSettings(
            tool["server_label"]!.GetValue<string>(),
            new Uri(tool["server_url"]!.GetValue<string>(), UriKind.Absolute),
            tool["authorization"] is JsonValue authorization && authorization.TryGetValue<string>(out var token) ? token : null,
            headers,
            McpToolFilter.Parse(tool["allowed_tools"]),
            McpApproval.Parse(tool["require_approval"]),
            (JsonObject)tool.DeepClone());
    }

    /// <summary>Whether the server would list what it listed for <paramref name="before"/>: same URL, credentials, headers and allowed tools.</summary>
    public bool ListsAsBefore(McpServerSettings before) =>
        ListingFields.All(field => JsonNode.DeepEquals(Tool[field], before.Tool[field]));

    /// <summary>Whether a session tool is an <c>mcp</c> one.</summary>
    public static bool IsMcp(JsonNode? tool) => tool?["type"] is JsonValue type && type.TryGetValue<string>(out var name) && name == "mcp";
}
