namespace V2V.Simulator.Mcp;

/// <summary>
/// One MCP server of a session: its settings (the latest <c>session.update</c>'s), its connection, and the tools it
/// listed (null until a listing succeeds). Changed only under the session's gate.
/// </summary>
internal sealed class McpServer(McpServerSettings settings, McpConnection connection)
{
    public McpServerSettings Settings { get; set; } = settings;

    public McpConnection Connection { get; } = connection;

    /// <summary>The tools listed (after <c>allowed_tools</c>), or null: not listed yet, or the listing failed.</summary>
    public IReadOnlyList<McpListedTool>? Tools { get; set; }

    /// <summary>A listing is running (its <c>mcp_list_tools.in_progress</c> was sent, its end was not).</summary>
    public bool Listing { get; set; }
}
