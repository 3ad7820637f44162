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

    // Field by field into the flat properties' own holder, which makes the server as it makes theirs.
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
        var approval = Text(entry, "require_approval", at, row) ?? "always";
        return new McpServerProperties
        {
            Url = McpServerProperties.UrlOf(url) ?? throw row.Refused($"{at}.server_url must be an absolute https:// URL, got \"{url}\"."),
            Label = Text(entry, "server_label", at, row)?.Trim() is { Length: > 0 } label ? label
                : throw row.Refused($"{at}.server_label is missing: each server needs a label of its own (letters, digits, '-' or '_'), which names its calls."),
            Authorization = Text(entry, "authorization", at, row, secret: true),
            AllowedTools = Text(entry, "allowed_tools", at, row) ?? "",
            Approval = McpServerProperties.ApprovalOf(approval)
                ?? throw row.Refused($"{at}.require_approval must be {string.Join(" or ", McpServerProperties.Approvals.Select(a => $"\"{a.Text}\""))}; got \"{approval.Trim()}\"."),
        }.ToServer()!;
    }

    private static string? Text(JsonObject entry, string field, string at, PropertyRow row, bool secret = false) => entry[field] switch
    {
        null => null,
        JsonValue v when v.TryGetValue<string>(out var text) => text,
        var other => throw row.Refused($"{at}.{field} must be a string, got {(secret ? Kind(other) + " (value hidden)" : other.ToJsonString())}."),
    };

    private static string Kind(JsonNode? node) => node is null ? "null" : "a " + node.GetValueKind().ToString().ToLowerInvariant();
}
