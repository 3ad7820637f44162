namespace V2V.Simulator.Mcp;

/// <summary>
/// One listing of a server's tools, begun by a <c>session.update</c>: the id of the <c>mcp_list_tools</c> item it
/// makes (told from <c>mcp_list_tools.in_progress</c> on), and the server it lists. It runs outside the session's gate.
/// </summary>
internal sealed record McpListing(string ItemId, McpServer Server)
{
    /// <summary>The server's tools, or the failure that kept them; a cancellation (the session ended, the server was replaced) is thrown.</summary>
    public async Task<(IReadOnlyList<McpListedTool>? Tools, McpRemoteError? Failure)> RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            return (await Server.Connection.ListToolsAsync(cancellationToken).ConfigureAwait(false), null);
        }
        catch (McpRemoteError failure)
        {
            return (null, failure);
        }
    }
}
