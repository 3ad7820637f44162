using V2V.Realtime.Client;
using V2V.Realtime.Protocol.Models;

namespace V2V.Voice.Tools;

/// <summary>An <see cref="McpServer"/> as the session configuration gives it (the service's <c>mcp</c> tool), and its checks.</summary>
internal static class McpServerTool
{
    public static RealtimeTool ToRealtimeTool(McpServer server) => new()
    {
        Type = "mcp",
        ServerLabel = server.Label,
        ServerUrl = server.Url.AbsoluteUri,
        ServerDescription = server.Description,
        Authorization = string.IsNullOrEmpty(server.Authorization) ? null : server.Authorization,
        Headers = server.Headers is { Count: > 0 } headers ? new Dictionary<string, string>(headers, StringComparer.OrdinalIgnoreCase) : null,
        AllowedTools = RealtimeMcpTool.AllowedTools(server.AllowedTools, server.ReadOnlyToolsOnly),
        RequireApproval = RequireApproval(server),
    };

    // "never", "always", or (always, but these) the form by name: the listed tools never wait; the others keep the
    // default, always.
    private static System.Text.Json.JsonElement RequireApproval(McpServer server) => server switch
    {
        { Approval: McpApproval.Never } => RealtimeMcpTool.RequireApproval(always: false),
        { ToolsWithoutApproval.Count: > 0 } => RealtimeMcpTool.RequireApproval(always: null, never: server.ToolsWithoutApproval),
        _ => RealtimeMcpTool.RequireApproval(always: true),
    };

    /// <summary>What is wrong with the servers, each message naming the server and the fix (empty: nothing).</summary>
    public static IEnumerable<string> Problems(IList<McpServer>? servers, V2V.Realtime.Client.RealtimeClientOptions? connection, bool beta)
    {
        if (servers is null)
        {
            yield return "must be set, without null entries (empty: none)";
            yield break;
        }
        if (servers.Count == 0)
        {
            yield break;
        }
        if (beta)
        {
            yield return "needs the GA dialect: the beta protocol (Azure's preview endpoint) has no mcp tools; connect to a GA endpoint or leave McpServers empty";
        }
        // With neither an endpoint nor a key, the endpoint is a host's to give (the TEN extension's key-less one, the local
        // server): not known yet, and checked again when the session starts with it.
        var realtimeIsLocal = connection?.BaseUri is { } baseUri ? RealtimeEndpoint.IsLoopback(baseUri.Host) : string.IsNullOrEmpty(connection?.ApiKey) && string.IsNullOrEmpty(connection?.BearerToken) && connection?.ApiKeyProvider is null;
        var labels = new HashSet<string>(StringComparer.Ordinal);
        foreach (var server in servers)
        {
            if (server is null)
            {
                yield return "must not hold a null entry";
                continue;
            }
            if (string.IsNullOrEmpty(server.Label) || !server.Label.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_') || server.Label.Length > 64)
            {
                yield return $"Label must be 1 to 64 letters, digits, '-' or '_' (got '{server.Label}')";
            }
            else if (!labels.Add(server.Label))
            {
                yield return $"must label each server once (two are labelled '{server.Label}')";
            }
            foreach (var problem in UrlProblems(server, realtimeIsLocal))
            {
                yield return problem;
            }
            if (server.Approval == McpApproval.Never && server.ToolsWithoutApproval is { Count: > 0 })
            {
                yield return $"'{server.Label}': ToolsWithoutApproval is for Approval Always (with Never no call waits); leave it empty";
            }
            if (server.Headers?.Keys.FirstOrDefault(k => string.Equals(k, "Authorization", StringComparison.OrdinalIgnoreCase)) is { } header && !string.IsNullOrEmpty(server.Authorization))
            {
                yield return $"'{server.Label}': both Authorization and a '{header}' header are set; give the token once, in Authorization";
            }
        }
    }

    private static IEnumerable<string> UrlProblems(McpServer server, bool realtimeIsLocal)
    {
        var url = server.Url;
        if (url is null || !url.IsAbsoluteUri || url.Scheme is not ("https" or "http"))
        {
            yield return $"'{server.Label}': Url must be an absolute https:// URL (got '{url}')";
            yield break;
        }
        var onThisMachine = RealtimeEndpoint.IsLoopback(url.Host);
        if (onThisMachine && !realtimeIsLocal)
        {
            // The service, not this process, calls the server: it cannot reach this machine's loopback.
            yield return $"'{server.Label}': Url {url.GetLeftPart(UriPartial.Authority)} is on this machine, which the realtime service cannot reach; give a URL the service can reach (https://...), or connect to a local realtime server";
        }
        else if (url.Scheme == "http" && !onThisMachine)
        {
            yield return $"'{server.Label}': Url must be https:// (the token and the calls would cross the internet in the clear); http:// only on this machine";
        }
    }
}
