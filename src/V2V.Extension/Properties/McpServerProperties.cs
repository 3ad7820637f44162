using V2V.Voice;

namespace V2V.Extension.Properties;

/// <summary>
/// The <c>mcp_*</c> properties of a node as they are read, one by one: the one remote MCP server a TEN graph can give
/// openai_v2v, which becomes an <see cref="McpServer"/> once every property is read (none when no URL is given).
/// </summary>
internal sealed class McpServerProperties
{
    public Uri? Url { get; set; }

    public string Label { get; set; } = "mcp";

    public string? Authorization { get; set; }

    /// <summary>Tool names, comma-separated; empty: all the server lists.</summary>
    public string AllowedTools { get; set; } = "";

    public McpApproval Approval { get; set; } = McpApproval.Always;

    public McpServer? ToServer() => Url is null ? null : new McpServer
    {
        Label = Label,
        Url = Url,
        Authorization = string.IsNullOrEmpty(Authorization) ? null : Authorization,
        AllowedTools = AllowedTools.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) is { Length: > 0 } names ? names : null,
        Approval = Approval,
    };
}
