namespace V2V.Simulator.Mcp;

/// <summary>How a request to an MCP server failed.</summary>
internal enum McpFailureKind
{
    /// <summary>The server answered with an HTTP error status.</summary>
    HttpStatus,

    /// <summary>The server answered with a JSON-RPC error.</summary>
    JsonRpc,

    /// <summary>The server's answer was not a JSON-RPC response (not JSON, another content type, too large).</summary>
    Malformed,

    /// <summary>No connection could be made.</summary>
    Unreachable,

    /// <summary>No answer within the request timeout (<see cref="LocalRealtimeServerOptions.McpRequestTimeout"/>).</summary>
    TimedOut,
}
