using System.Text.Json.Nodes;
using V2V.Simulator.Protocol;
using V2V.Simulator.Session;

namespace V2V.Simulator.Mcp;

/// <summary>
/// The MCP servers of one session, by label: which to list when a <c>session.update</c> brings them (a label not
/// listed yet, or one whose URL, credentials, headers or allowed tools changed), what the end of a listing tells (its
/// <c>mcp_list_tools</c> item joins the conversation), which tools the model may call, and the connection a call
/// uses. The listings and calls run outside the session's gate; their starts and ends are decided here, under it.
/// </summary>
internal sealed class McpServers(Conversation conversation, TimeSpan requestTimeout) : IAsyncDisposable
{
    private readonly Dictionary<string, McpServer> _servers = new(StringComparer.Ordinal);

    // The gate orders every change but the last: the session's end disposes the servers after the gate was cancelled,
    // while a listing's end may still be inside it.
    private readonly Lock _lock = new();

    /// <summary>
    /// Takes the session's tools (after a <c>session.update</c> that gave them): servers no longer there are closed,
    /// new or changed ones get a connection of their own, and the listings to run are returned, each to be told begun.
    /// A server whose listing failed is listed again when the update brings it again.
    /// </summary>
    public IReadOnlyList<McpListing> Update(JsonArray tools)
    {
        var wanted = tools.Where(McpServerSettings.IsMcp)
            .Select(tool => McpServerSettings.Parse(tool!.AsObject()))
            .ToDictionary(s => s.ServerLabel, StringComparer.Ordinal);
        var listings = new List<McpListing>();
        lock (_lock)
        {
            foreach (var gone in _servers.Keys.Where(label => !wanted.ContainsKey(label)).ToList())
            {
                Close(gone);
            }

            foreach (var settings in wanted.Values)
            {
                if (_servers.TryGetValue(settings.ServerLabel, out var known) && settings.ListsAsBefore(known.Settings) && (known.Tools is not null || known.Listing))
                {
                    // The same server, listed or being listed: what changed (approvals, a description) applies from now on.
                    known.Settings = settings;
                    continue;
                }

                Close(settings.ServerLabel);
                var server = new McpServer(settings, new McpConnection(settings, requestTimeout)) { Listing = true };
                _servers[settings.ServerLabel] = server;
                listings.Add(new McpListing(EventIds.Item(), server));
            }
        }

        return listings;
    }

    /// <summary>
    /// The start of <paramref name="listing"/>, as the service tells one (and the Responses API its own): its
    /// <c>mcp_list_tools</c> item joins the conversation, naming the server, with no tools yet; then
    /// <c>mcp_list_tools.in_progress</c>. A failed listing is thereby told of a server the client can name.
    /// </summary>
    public IReadOnlyList<JsonObject> Begin(McpListing listing)
    {
        var item = new ConversationItem
        {
            Id = listing.ItemId,
            Type = "mcp_list_tools",
            ServerLabel = listing.Server.Settings.ServerLabel,
            Tools = [],
        };
        var previous = conversation.Insert(item, null);
        return
        [
            new JsonObject { ["type"] = "conversation.item.added", ["previous_item_id"] = previous, ["item"] = item.ToJson(DialectProfile.Ga) },
            McpListToolsEvents.InProgress(listing.ItemId),
        ];
    }

    /// <summary>
    /// The end of <paramref name="listing"/>: its tools (those <c>allowed_tools</c> lets through) become callable and its
    /// <c>mcp_list_tools</c> item is done with them, or it failed (the item done with none); the events that tell it.
    /// Nothing when the server was replaced or removed meanwhile: the update that did so began what the client follows now.
    /// </summary>
    public IReadOnlyList<JsonObject> Finish(McpListing listing, IReadOnlyList<McpListedTool>? tools, McpRemoteError? failure)
    {
        var server = listing.Server;
        var label = server.Settings.ServerLabel;
        lock (_lock)
        {
            if (!_servers.TryGetValue(label, out var current) || current != server)
            {
                return [];
            }

            server.Listing = false;
            server.Tools = tools?.Where(tool => server.Settings.AllowedTools?.Matches(tool) ?? true).ToList();
        }

        var at = conversation.IndexOf(listing.ItemId);
        if (at < 0)
        {
            // The client deleted the item meanwhile: the tools are callable all the same, and nothing is left to be done.
            return tools is null ? [McpListToolsEvents.Failed(listing.ItemId), Error()] : [McpListToolsEvents.Completed(listing.ItemId)];
        }
        var item = conversation.Items[at];
        item.Tools = new JsonArray((server.Tools ?? []).Select(tool => (JsonNode)tool.ToJson()).ToArray());
        var done = new JsonObject { ["type"] = "conversation.item.done", ["previous_item_id"] = at > 0 ? conversation.Items[at - 1].Id : null, ["item"] = item.ToJson(DialectProfile.Ga) };
        return tools is null
            ? [done, McpListToolsEvents.Failed(listing.ItemId), Error()]
            : [done, McpListToolsEvents.Completed(listing.ItemId)];

        JsonObject Error() => McpListToolsEvents.Error(label, failure ?? McpRemoteError.Malformed("No tools came back."));
    }

    /// <summary>The listed tools the model may call now, server by server, with their approval as configured now.</summary>
    public IReadOnlyList<McpOfferedTool> Offered()
    {
        lock (_lock)
        {
            return _servers.Values
                .Where(server => server.Tools is not null)
                .SelectMany(server => server.Tools!.Select(tool => new McpOfferedTool(server.Settings.ServerLabel, tool, server.Settings.Approval.IsRequiredFor(tool))))
                .ToList();
        }
    }

    /// <summary>The connection to the server labelled <paramref name="serverLabel"/>, or null when the session has none.</summary>
    public McpConnection? ConnectionOf(string serverLabel)
    {
        lock (_lock)
        {
            return _servers.GetValueOrDefault(serverLabel)?.Connection;
        }
    }

    /// <summary>The session ended: every connection is closed (its calls cancelled, its MCP session ended).</summary>
    public async ValueTask DisposeAsync()
    {
        List<McpServer> servers;
        lock (_lock)
        {
            servers = [.. _servers.Values];
            _servers.Clear();
        }

        foreach (var server in servers)
        {
            await server.Connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>A server leaves the session: its connection closes beside it (a DELETE may take a moment), cancelling what it ran.</summary>
    private void Close(string label)
    {
        if (_servers.Remove(label, out var server))
        {
            _ = server.Connection.DisposeAsync().AsTask();
        }
    }
}
