using System.Text.Json;
using System.Text.Json.Nodes;

namespace V2V.Realtime.Protocol.Models;

/// <summary>
/// The values of an <c>mcp</c> <see cref="RealtimeTool"/> that are not plain text: which of the server's tools the model
/// may use (<c>allowed_tools</c>) and which calls wait for the client's approval (<c>require_approval</c>), in the forms
/// the GA schema gives them. One builder for every caller that describes an MCP server (the voice session's options,
/// Microsoft.Extensions.AI's hosted MCP tool).
/// </summary>
public static class RealtimeMcpTool
{
    /// <summary>
    /// <c>allowed_tools</c>: the names (null: every tool); with <paramref name="readOnlyOnly"/>, the filter object that also
    /// asks for tools marked read-only.
    /// </summary>
    public static JsonElement AllowedTools(IEnumerable<string>? names, bool readOnlyOnly = false)
    {
        if (!readOnlyOnly)
        {
            return names is null ? default : Element(Names(names));
        }
        var filter = new JsonObject { ["read_only"] = true };
        if (names is not null)
        {
            filter["tool_names"] = Names(names);
        }
        return Element(filter);
    }

    /// <summary><c>require_approval</c> for every call: <c>"always"</c> or <c>"never"</c>.</summary>
    public static JsonElement RequireApproval(bool always) => Element(JsonValue.Create(always ? "always" : "never"));

    /// <summary>
    /// <c>require_approval</c> by tool name: the tools of <paramref name="always"/> wait, those of <paramref name="never"/>
    /// do not (either null: not said; a tool named by neither waits, the service's default).
    /// </summary>
    public static JsonElement RequireApproval(IEnumerable<string>? always, IEnumerable<string>? never)
    {
        var byName = new JsonObject();
        if (always is not null)
        {
            byName["always"] = new JsonObject { ["tool_names"] = Names(always) };
        }
        if (never is not null)
        {
            byName["never"] = new JsonObject { ["tool_names"] = Names(never) };
        }
        return Element(byName);
    }

    private static JsonArray Names(IEnumerable<string> names) => [.. names.Select(n => JsonValue.Create(n))];

    private static JsonElement Element(JsonNode node)
    {
        using var json = JsonDocument.Parse(node.ToJsonString());
        return json.RootElement.Clone();
    }
}
