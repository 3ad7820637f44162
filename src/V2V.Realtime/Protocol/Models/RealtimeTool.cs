using System.Text.Json;
using System.Text.Json.Serialization;
using V2V.Realtime.Protocol.Serialization;

namespace V2V.Realtime.Protocol.Models;

/// <summary>
/// A tool the model may call: a function with a JSON-schema of its parameters, or (GA, <c>mcp</c>) a remote MCP server
/// whose tools the service lists and calls itself.
/// </summary>
public sealed class RealtimeTool
{
    /// <summary>The tool type, <c>function</c> (GA also knows <c>mcp</c>).</summary>
    [JsonPropertyName("type")] public string Type { get; set; } = "function";

    /// <summary>The function name.</summary>
    [JsonPropertyName("name")] public string? Name { get; set; }

    /// <summary>What the function does and when to call it.</summary>
    [JsonPropertyName("description")] public string? Description { get; set; }

    /// <summary>The parameters, as a JSON schema object.</summary>
    [JsonPropertyName("parameters")] [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public JsonElement Parameters { get; set; }

    /// <summary>MCP: the label the server's calls are known by.</summary>
    [JsonPropertyName("server_label")] public string? ServerLabel { get; set; }

    /// <summary>MCP: the server's URL, which the service reaches.</summary>
    [JsonPropertyName("server_url")] public string? ServerUrl { get; set; }

    /// <summary>MCP: one of the service's own connectors (e.g. <c>connector_googlecalendar</c>) in place of a server URL.</summary>
    [JsonPropertyName("connector_id")] public string? ConnectorId { get; set; }

    /// <summary>MCP: what the server is for, to help the model choose.</summary>
    [JsonPropertyName("server_description")] public string? ServerDescription { get; set; }

    /// <summary>MCP: an OAuth access token the service gives the server. A secret: never logged.</summary>
    [JsonPropertyName("authorization")] public string? Authorization { get; set; }

    /// <summary>MCP: HTTP headers the service sends the server (their values may be secrets: never logged).</summary>
    [JsonPropertyName("headers")] public Dictionary<string, string>? Headers { get; set; }

    /// <summary>MCP: the tools of the server the model may use: an array of names or a filter object (unset: all).</summary>
    [JsonPropertyName("allowed_tools")] [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public JsonElement AllowedTools { get; set; }

    /// <summary>MCP: which calls wait for the client's approval: <c>"always"</c>, <c>"never"</c> or an object by tool name.</summary>
    [JsonPropertyName("require_approval")] [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public JsonElement RequireApproval { get; set; }

    /// <summary>Fields this model does not know, with their raw JSON.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
