using V2V.Voice;

namespace V2V.Extension.Properties;

/// <summary>
/// One remote MCP server as the properties give it, field by field: the flat <c>mcp_*</c> properties of a node, or one
/// object of <c>mcp_servers</c>; it becomes an <see cref="McpServer"/> once every field is read (none when no URL is given).
/// </summary>
internal sealed class McpServerProperties
{
    /// <summary>The values of <c>require_approval</c>, for the flat property and for each server of <c>mcp_servers</c>.</summary>
    public static IReadOnlyList<(string Text, McpApproval Value)> Approvals { get; } = [("always", McpApproval.Always), ("never", McpApproval.Never)];

    /// <summary>An absolute <c>https://</c> (or <c>http://</c>) URL, or null for anything else.</summary>
    public static Uri? UrlOf(string text) =>
        Uri.TryCreate(text.Trim(), UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http" ? uri : null;

    /// <summary>The approval a text names (any letter case), or null.</summary>
    public static McpApproval? ApprovalOf(string text) =>
        Approvals.Where(a => string.Equals(a.Text, text.Trim(), StringComparison.OrdinalIgnoreCase)).Select(a => (McpApproval?)a.Value).FirstOrDefault();

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
