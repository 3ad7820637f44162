using System.Text.Json.Nodes;
using V2V.Simulator.Protocol;

namespace V2V.Simulator.Mcp;

/// <summary>The events that tell a listing of a server's tools: begun, done, or failed with the error that says why.</summary>
internal static class McpListToolsEvents
{
    public static JsonObject InProgress(string itemId) => new() { ["type"] = "mcp_list_tools.in_progress", ["item_id"] = itemId };

    public static JsonObject Completed(string itemId) => new() { ["type"] = "mcp_list_tools.completed", ["item_id"] = itemId };

    public static JsonObject Failed(string itemId) => new() { ["type"] = "mcp_list_tools.failed", ["item_id"] = itemId };

    /// <summary>
    /// The <c>error</c> that follows <c>mcp_list_tools.failed</c>, in the words the Responses API gives the same failure
    /// ("Error retrieving tool list from MCP server: 'x'. Http status code: 401 (Unauthorized)", type
    /// <c>external_connector_error</c>, as its clients have logged it); the codes of failures without a status are ours.
    /// </summary>
    public static JsonObject Error(string serverLabel, McpRemoteError failure)
    {
        var code = failure.Kind switch
        {
            McpFailureKind.HttpStatus => "http_error",
            McpFailureKind.JsonRpc or McpFailureKind.Malformed => "protocol_error",
            _ => "connection_error",
        };
        return new RealtimeError("external_connector_error", code, $"Error retrieving tool list from MCP server: '{serverLabel}'. {failure.Describe()}", "session.tools", null).ToEvent();
    }
}
