namespace V2V.Voice;

/// <summary>
/// A remote MCP server whose tools the model may use (GA only; the service's <c>mcp</c> tool): the service lists its
/// tools when the session is configured and calls them itself, so the host runs nothing. Its calls and their results
/// reach the reader as <see cref="Outputs.McpCallOutput"/>; a call that needs approval waits for
/// <see cref="VoiceSession.AnswerMcpApprovalAsync"/>. The service reaches <see cref="Url"/> from the internet: a server on
/// this machine serves only a local realtime server.
/// </summary>
public sealed class McpServer
{
    /// <summary>The label its calls are known by: letters, digits, '-' and '_', unique in the session.</summary>
    public required string Label { get; init; }

    /// <summary>The server's Streamable HTTP endpoint: https:// (http:// only on this machine, for a local realtime server).</summary>
    public required Uri Url { get; init; }

    /// <summary>What the server is for, to help the model choose its tools (null: none).</summary>
    public string? Description { get; init; }

    /// <summary>
    /// An OAuth access token the service gives the server (the host runs the OAuth flow). A secret: never logged, dumped
    /// or shown; <see cref="ToString"/> leaves it out.
    /// </summary>
    public string? Authorization { get; init; }

    /// <summary>HTTP headers the service sends the server (an API key, a tenant). Their values are treated as secrets.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    /// <summary>The server's tools the model may use, by name (null: all it lists).</summary>
    public IReadOnlyList<string>? AllowedTools { get; init; }

    /// <summary>Only the tools the server marks read-only (<c>readOnlyHint</c>): a model that may look but not act.</summary>
    public bool ReadOnlyToolsOnly { get; init; }

    /// <summary>
    /// Whether a call waits for the host's approval (<see cref="McpApproval.Always"/>, the default: a tool that acts on
    /// the world does not run on a model's guess) or runs at once.
    /// </summary>
    public McpApproval Approval { get; init; } = McpApproval.Always;

    /// <summary>With <see cref="McpApproval.Always"/>: the tools that run without approval all the same (read-only look-ups).</summary>
    public IReadOnlyList<string> ToolsWithoutApproval { get; init; } = [];

    /// <summary>The label and the URL without its query (which may carry a key); never the authorization or headers.</summary>
    public override string ToString() => $"{Label} ({Url.GetLeftPart(UriPartial.Path)})";
}

/// <summary>Whether the calls of an <see cref="McpServer"/> wait for the host's approval.</summary>
public enum McpApproval
{
    /// <summary>Every call waits for <see cref="VoiceSession.AnswerMcpApprovalAsync"/> (but those of <see cref="McpServer.ToolsWithoutApproval"/>).</summary>
    Always,

    /// <summary>Every call runs at once.</summary>
    Never,
}
