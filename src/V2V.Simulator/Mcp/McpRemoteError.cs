using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;

namespace V2V.Simulator.Mcp;

/// <summary>
/// A request to an MCP server failed. Its message says what failed (an HTTP status, a JSON-RPC error, a timeout) and
/// never what was sent: the authorization token and header values stay out of every error a client sees.
/// </summary>
internal sealed class McpRemoteError(McpFailureKind kind, int code, string message) : Exception(message)
{
    public McpFailureKind Kind => kind;

    /// <summary>The HTTP status, or the JSON-RPC error code; for failures that have neither, the status a gateway would answer.</summary>
    public int Code => code;

    public static McpRemoteError Http(HttpStatusCode status, string? reason) =>
        new(McpFailureKind.HttpStatus, (int)status, $"Http status code: {(int)status} ({reason ?? status.ToString()})");

    public static McpRemoteError JsonRpc(int code, string message) => new(McpFailureKind.JsonRpc, code, message);

    /// <summary>An answer that is not JSON-RPC: told with JSON-RPC's own code for it, parse error.</summary>
    public static McpRemoteError Malformed(string why) => new(McpFailureKind.Malformed, -32700, why);

    /// <summary>No status came back: told with the status a gateway answers when its upstream cannot be reached (502).</summary>
    public static McpRemoteError Unreachable(string why) => new(McpFailureKind.Unreachable, 502, $"Could not reach the MCP server: {why}");

    /// <summary>No answer in time: told with a gateway's timeout status (504).</summary>
    public static McpRemoteError TimedOut(TimeSpan timeout) =>
        new(McpFailureKind.TimedOut, 504, $"The MCP server did not answer within {timeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s.");

    /// <summary>What failed, in a sentence (a JSON-RPC error's code with its message).</summary>
    public string Describe() => kind == McpFailureKind.JsonRpc ? $"JSON-RPC error {code}: {Message}" : Message;

    /// <summary>
    /// The <c>error</c> of a failed <c>mcp_call</c> item: <c>protocol_error</c> for what the server said wrongly
    /// (a JSON-RPC error, an answer that is not one), <c>http_error</c> for what HTTP said (a status, no connection, no answer).
    /// </summary>
    public JsonObject ToCallError() => kind is McpFailureKind.JsonRpc or McpFailureKind.Malformed
        ? new JsonObject { ["type"] = "protocol_error", ["code"] = code, ["message"] = Message }
        : new JsonObject { ["type"] = "http_error", ["code"] = code, ["message"] = Message };
}
