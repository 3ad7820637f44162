using System.Text.Json;
using System.Text.Json.Nodes;
using V2V.Voice;

namespace V2V.Extension.Properties;

/// <summary>
/// The <c>mcp_servers</c> property: remote MCP servers as a list of objects, for a node that gives more than the one of
/// the flat <c>mcp_*</c> properties. Each object takes the flat properties' names without their <c>mcp_</c> prefix;
/// a field it does not know is refused by name (a typo must not leave a server without its token or its filter).
/// </summary>
internal static class McpServerList
{
    /// <summary>The fields of one server, as the manifest declares them.</summary>
    public static IReadOnlyList<string> Fields { get; } = ["server_url", "server_label", "authorization", "allowed_tools", "require_approval"];

    public static List<McpServer> Read(JsonArray list, PropertyRow row)
    {
        var servers = new List<McpServer>();
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] is not JsonObject entry)
            {
                throw row.Refused($"[{i}] must be an object such as {{\"server_url\": \"https://mcp.example.com/mcp\", \"server_label\": \"docs\"}}, got {Kind(list[i])}.");
            }
            servers.Add(ReadOne(entry, $"[{i}]", row));
        }
        return servers;
    }

    /// <summary>The list as the property would give it, each token shown as <c>***</c>; empty when there is none.</summary>
    public static string Show(IReadOnlyList<McpServer> servers) => servers.Count == 0 ? "" : new JsonArray([.. servers.Select(server =>
    {
        var entry = new JsonObject { ["server_url"] = server.Url.AbsoluteUri, ["server_label"] = server.Label };
        if (server.Authorization is not null)
        {
            entry["authorization"] = "***";
        }
        if (server.AllowedTools is { Count: > 0 } tools)
        {
            entry["allowed_tools"] = string.Join(",", tools);
        }
        if (server.Approval == McpApproval.Never)
        {
            entry["require_approval"] = "never";
        }
        return (JsonNode)entry;
    })]).ToJsonString();

    private static McpServer ReadOne(JsonObject entry, string at, PropertyRow row)
    {
        if (entry.Select(p => p.Key).FirstOrDefault(name => !Fields.Contains(name)) is { } unknown)
        {
            throw row.Refused($"{at} has a field '{unknown}' it does not know; a server takes {string.Join(", ", Fields)}.");
        }
        var url = Text(entry, "server_url", at, row)?.Trim();
        if (string.IsNullOrEmpty(url))
        {
            throw row.Refused($"{at}.server_url is missing: each server needs the https:// URL of its MCP endpoint.");
        }
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
        {
            throw row.Refused($"{at}.server_url must be an absolute https:// URL, got \"{url}\".");
        }
        var approval = Text(entry, "require_approval", at, row)?.Trim() ?? "always";
        return new McpServer
        {
            Url = uri,
            Label = Text(entry, "server_label", at, row)?.Trim() is { Length: > 0 } label ? label
                : throw row.Refused($"{at}.server_label is missing: each server needs a label of its own (letters, digits, '-' or '_'), which names its calls."),
            Authorization = Text(entry, "authorization", at, row, secret: true) is { Length: > 0 } token ? token : null,
            AllowedTools = AllowedTools(entry, at, row),
            Approval = approval.ToLowerInvariant() switch
            {
                "always" => McpApproval.Always,
                "never" => McpApproval.Never,
                _ => throw row.Refused($"{at}.require_approval must be \"always\" or \"never\"; got \"{approval}\"."),
            },
        };
    }

    // A comma-separated text, as mcp_allowed_tools takes it (the manifest declares a string).
    private static string[]? AllowedTools(JsonObject entry, string at, PropertyRow row) =>
        (Text(entry, "allowed_tools", at, row) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) is { Length: > 0 } names ? names : null;

    private static string? Text(JsonObject entry, string field, string at, PropertyRow row, bool secret = false) => entry[field] switch
    {
        null => null,
        JsonValue v when v.TryGetValue<string>(out var text) => text,
        var other => throw row.Refused($"{at}.{field} must be a string, got {(secret ? Kind(other) + " (value hidden)" : other.ToJsonString())}."),
    };

    private static string Kind(JsonNode? node) => node is null ? "null" : "a " + node.GetValueKind().ToString().ToLowerInvariant();
}
