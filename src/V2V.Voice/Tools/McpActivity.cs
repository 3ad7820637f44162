using System.Text.Json;
using Microsoft.Extensions.Logging;
using V2V.Realtime.Protocol;
using V2V.Realtime.Protocol.ClientEvents;
using V2V.Realtime.Protocol.Models;
using V2V.Realtime.Protocol.ServerEvents;
using V2V.Voice.Conversation;
using V2V.Voice.Outputs;
using V2V.Voice.Session;
using V2V.Voice.Turns;

namespace V2V.Voice.Tools;

/// <summary>
/// What the service does with the session's <see cref="McpServer"/>s, told to the host: each server's tools listed (or
/// not), each call started and ended, each approval asked; and the host's answers to approvals, sent back. The service runs
/// the calls; the session only reports them and keeps their results in the history (a new connection is told them as a
/// note, not made to call again). Owns which listings, calls and approval requests of this connection are open.
/// </summary>
internal sealed class McpActivity(SessionContext context, ConversationHistory history, ResponseCoordinator responses)
{
    // The approval requests awaiting the host's answer; beyond this many the oldest is forgotten (a host that never answers
    // must not grow memory). Listings and calls close by themselves; a connection's end forgets what it left open.
    private const int MaxPendingApprovals = 16;

    // Listings and calls open at once on one connection, at most: a service that never ends some cannot grow memory.
    private const int MaxOpen = 64;

    private readonly Dictionary<string, (string Label, IReadOnlyList<string> Tools)> _listings = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string Label, string Name)> _calls = new(StringComparer.Ordinal);
    private readonly List<string> _pendingApprovals = [];

    /// <summary>The <see cref="McpCallOutput.Error"/> of a call whose answer was cut short before the tool answered.</summary>
    public const string CutShort = "cut short: the answer was interrupted before the tool answered";

    public async ValueTask HandleAsync(RealtimeServerEvent serverEvent, CancellationToken ct)
    {
        switch (serverEvent)
        {
            case ConversationItemAddedEvent { Item: { Type: "mcp_list_tools", Id: { } id } item }:
                if (_listings.Count >= MaxOpen)
                {
                    _listings.Clear(); // listings the service never ended (a server replaced meanwhile): stale
                }
                _listings[id] = (item.ServerLabel ?? "", ToolNames(item.Tools));
                break;
            case ConversationItemDoneEvent { Item: { Type: "mcp_list_tools", Id: { } id } item }:
                _listings[id] = (item.ServerLabel ?? "", ToolNames(item.Tools));
                break;
            case McpListToolsCompletedEvent completed when _listings.Remove(completed.ItemId, out var listed):
                context.Logger.LogInformation("MCP server {Server}: {Count} tools listed", listed.Label, listed.Tools.Count);
                await context.EmitAsync(new McpToolsOutput(listed.Label, listed.Tools, Failed: false), ct).ConfigureAwait(false);
                break;
            case McpListToolsFailedEvent failed:
                // The service names the server in the listing's item, added as the listing begins; its error event
                // follows with the reason (told as an error output), which names the server too.
                var label = _listings.Remove(failed.ItemId, out var notListed) ? notListed.Label : "";
                context.Logger.LogWarning("MCP server {Server}: the service could not list its tools", label);
                await context.EmitAsync(new McpToolsOutput(label, [], Failed: true), ct).ConfigureAwait(false);
                break;
            case ResponseOutputItemAddedEvent { Item: { Type: "mcp_call", Id: { } id } call }:
                if (_calls.Count >= MaxOpen)
                {
                    _calls.Clear(); // calls whose items never ended: stale
                }
                _calls[id] = (call.ServerLabel ?? "", call.Name ?? "");
                break;
            case ResponseMcpCallArgumentsDoneEvent arguments when _calls.TryGetValue(arguments.ItemId, out var started):
                await context.EmitAsync(new McpCallOutput(arguments.ItemId, started.Label, started.Name, arguments.Arguments, McpCallState.Started), ct).ConfigureAwait(false);
                break;
            case ResponseOutputItemDoneEvent { Item: { Type: "mcp_call", Id: { } id } call }:
                _calls.Remove(id);
                await CallEndedAsync(id, call, ct).ConfigureAwait(false);
                break;
            case ResponseOutputItemDoneEvent { Item: { Type: "mcp_approval_request", Id: { } id } request }:
                _pendingApprovals.Remove(id);
                _pendingApprovals.Add(id);
                if (_pendingApprovals.Count > MaxPendingApprovals)
                {
                    _pendingApprovals.RemoveAt(0);
                }
                context.Logger.LogInformation("MCP server {Server}: a call of {Tool} awaits the host's approval ({Request})", request.ServerLabel, request.Name, id);
                await context.EmitAsync(new McpApprovalRequestOutput(id, request.ServerLabel ?? "", request.Name ?? "", request.Arguments ?? "{}"), ct).ConfigureAwait(false);
                break;
        }
    }

    private async ValueTask CallEndedAsync(string id, RealtimeConversationItem call, CancellationToken ct)
    {
        var label = call.ServerLabel ?? "";
        var name = call.Name ?? "";
        var arguments = call.Arguments ?? "{}";
        if (ErrorText(call.Error) is { } error)
        {
            context.Logger.LogWarning("MCP server {Server}: the call of {Tool} failed: {Error}", label, name, error);
            history.AddNote($"[The tool {name} of {label} was called with {Bounded(arguments)} and failed: {Bounded(error)}]");
            await context.EmitAsync(new McpCallOutput(id, label, name, arguments, McpCallState.Failed, Error: error), ct).ConfigureAwait(false);
            return;
        }
        if (call.Output is null)
        {
            // Cut short with its answer (a barge-in): neither a result nor an error came. Told as failed, so that a host
            // showing the call running sees it end; the history keeps no result.
            await context.EmitAsync(new McpCallOutput(id, label, name, arguments, McpCallState.Failed, Error: CutShort), ct).ConfigureAwait(false);
            return;
        }
        history.AddNote($"[The tool {name} of {label} was called with {Bounded(arguments)} and returned: {Bounded(call.Output)}]");
        await context.EmitAsync(new McpCallOutput(id, label, name, arguments, McpCallState.Completed, Output: call.Output ?? ""), ct).ConfigureAwait(false);
    }

    /// <summary>
    /// The host's answer to <paramref name="requestId"/>: the service is told, and asked to go on (it makes the call, or
    /// says it was not approved). Throws for a request that is not pending on this connection.
    /// </summary>
    public async ValueTask AnswerAsync(string requestId, bool approve, string? reason, CancellationToken ct)
    {
        if (!_pendingApprovals.Remove(requestId))
        {
            throw new InvalidOperationException(
                $"MCP approval request '{requestId}' is not pending: answered already, or asked on a connection since replaced (the user can ask again).");
        }
        await context.SendAsync(new ConversationItemCreateEvent { Item = RealtimeConversationItem.McpApprovalResponse(requestId, approve, reason) }, ct).ConfigureAwait(false);
        responses.ConversationGrew();
        await responses.RequestAsync(null, ct).ConfigureAwait(false);
    }

    /// <summary>A new connection: what the old one had open is not its (its listings and calls will not end there, its requests cannot be answered).</summary>
    public void NewConnectionLive()
    {
        _listings.Clear();
        _calls.Clear();
        _pendingApprovals.Clear();
    }

    // A tool may answer with pages of text: the note a new connection is given keeps the start of it, as a previous
    // conversation's turns are kept (the model heard the whole, and said what mattered of it).
    private const int MaxNoteChars = 2000;

    private static string Bounded(string text) => text.Length <= MaxNoteChars ? text : text[..MaxNoteChars] + "...";

    private static IReadOnlyList<string> ToolNames(JsonElement tools) => tools.ValueKind != JsonValueKind.Array ? []
        : [.. tools.EnumerateArray().Select(t => t.ValueKind == JsonValueKind.Object && t.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()! : null).OfType<string>()];

    private static string? ErrorText(JsonElement error)
    {
        if (error.ValueKind != JsonValueKind.Object)
        {
            return null;
        }
        var type = error.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : "error";
        var message = error.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
        return message is null ? type : $"{type}: {message}";
    }
}
