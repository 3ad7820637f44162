using System.Text.Json;
using V2V.Simulator.Protocol;

namespace V2V.Simulator.Mcp;

/// <summary>
/// What a GA <c>session.update</c> may not ask of its <c>mcp</c> tools beyond what the schema says (checked before):
/// a server to reach (the schema: "one of <c>server_url</c>, <c>connector_id</c>, or <c>tunnel_id</c> must be
/// provided"), reachable from here (connectors and secure tunnels are OpenAI's own: the local server cannot use
/// them), over http or https, and a label of its own, since calls and approvals name the server by it. Pure, like
/// <see cref="Session.SessionUpdateRules"/>, which asks it: a refused update changes nothing.
/// </summary>
internal static class McpToolRules
{
    public static InvalidParam? Check(JsonElement session)
    {
        if (!session.TryGetProperty("tools", out var tools) || tools.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var labels = new HashSet<string>(StringComparer.Ordinal);
        var index = 0;
        foreach (var tool in tools.EnumerateArray())
        {
            var at = $"session.tools[{index++}]";
            if (Text(tool, "type") != "mcp")
            {
                continue;
            }

            if (Text(tool, "connector_id") is { } connector)
            {
                return new("invalid_value", $"Invalid '{at}.connector_id': the local realtime server cannot reach connectors ('{connector}' is served by OpenAI itself). Give the server_url of an MCP server instead.", $"{at}.connector_id");
            }

            if (Text(tool, "tunnel_id") is not null)
            {
                return new("invalid_value", $"Invalid '{at}.tunnel_id': the local realtime server cannot reach OpenAI's secure MCP tunnels. Give the server_url of an MCP server instead.", $"{at}.tunnel_id");
            }

            if (Text(tool, "server_url") is not { } url)
            {
                return new("missing_required_parameter", $"Missing required parameter: '{at}.server_url'. An mcp tool needs one of server_url, connector_id or tunnel_id.", $"{at}.server_url");
            }

            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                // The URL itself is not repeated: it may carry credentials (user:password@host).
                var scheme = uri?.Scheme is { } given ? $"its scheme is '{given}'" : "it is not an absolute URL";
                return new("invalid_value", $"Invalid '{at}.server_url': an MCP server is reached over http or https, and {scheme}.", $"{at}.server_url");
            }

            var label = Text(tool, "server_label")!;
            if (!labels.Add(label))
            {
                return new("invalid_value", $"Invalid '{at}.server_label': '{label}' is the label of another mcp tool of the session; each server needs a label of its own.", $"{at}.server_label");
            }
        }

        return null;
    }

    private static string? Text(JsonElement tool, string name) =>
        tool.ValueKind == JsonValueKind.Object && tool.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
