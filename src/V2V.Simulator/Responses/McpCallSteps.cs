using System.Text.Json;
using System.Text.Json.Nodes;
using V2V.Simulator.Mcp;
using V2V.Simulator.Session;

namespace V2V.Simulator.Responses;

/// <summary>
/// The steps of a response's MCP items, in the service's order. An approval request: <c>response.output_item.added</c>,
/// <c>conversation.item.added</c>, <c>response.output_item.done</c>, <c>conversation.item.done</c>. A call: its item
/// added (arguments empty), <c>response.mcp_call_arguments.delta</c> (in pieces) and <c>.done</c>,
/// <c>response.mcp_call.in_progress</c>; then the <c>tools/call</c> itself, between two steps, outside the gate and
/// cancelled with the response; then <c>response.mcp_call.completed</c> (or <c>.failed</c>) and the item done with its
/// <c>output</c> (or <c>error</c>). Like the <see cref="ResponseStreamer"/> it sends nothing.
/// </summary>
internal sealed class McpCallSteps(OutputItemEvents items, McpServers servers)
{
    /// <summary>The item of <paramref name="planned"/>, in progress: the streamer keeps it to report the result.</summary>
    public static ConversationItem NewCall(PlannedMcpCall planned) => new()
    {
        Type = "mcp_call",
        Status = "in_progress",
        ServerLabel = planned.ServerLabel,
        Name = planned.Name,
        Arguments = string.Empty,
        ApprovalRequestId = planned.ApprovalRequestId,
    };

    /// <summary>What the model says of a call done: its output, or why it failed.</summary>
    public static string Report(ConversationItem call) => call.Error is { } error
        ? $"The tool {call.Name} failed: {(error["message"] is JsonValue message && message.TryGetValue<string>(out var why) ? why : "an error")}"
        : $"The tool {call.Name} returned: {call.Output}";

    public IEnumerable<ResponseStep> ApprovalRequestSteps(ActiveResponse r, int index, PlannedMcpApprovalRequest planned)
    {
        var item = new ConversationItem { Type = "mcp_approval_request", ServerLabel = planned.ServerLabel, Name = planned.Name, Arguments = planned.Arguments };
        yield return new ResponseStep.Emit(() => items.Open(r, index, item, null, null));
        yield return new ResponseStep.Emit(() => items.CloseOpen(r, "completed"));
    }

    /// <summary>The steps of the call <paramref name="item"/> (from <see cref="NewCall"/>) with <paramref name="arguments"/>; the item holds the result after the last.</summary>
    public async IAsyncEnumerable<ResponseStep> CallStepsAsync(ActiveResponse r, int index, ConversationItem item, string arguments)
    {
        yield return new ResponseStep.Emit(() => items.Open(r, index, item, null, null));
        foreach (var delta in OutputItemEvents.ArgumentDeltas(arguments))
        {
            yield return new ResponseStep.Emit(() =>
            {
                item.Arguments += delta;
                return [new JsonObject { ["type"] = "response.mcp_call_arguments.delta", ["response_id"] = r.Id, ["item_id"] = item.Id, ["output_index"] = index, ["delta"] = delta }];
            });
        }

        // The connection is the one the session has as the call begins (under the gate): an update may replace it later.
        McpConnection? connection = null;
        yield return new ResponseStep.Emit(() =>
        {
            item.Arguments = arguments;
            connection = servers.ConnectionOf(item.ServerLabel!);
            return
            [
                new JsonObject { ["type"] = "response.mcp_call_arguments.done", ["response_id"] = r.Id, ["item_id"] = item.Id, ["output_index"] = index, ["arguments"] = arguments },
                new JsonObject { ["type"] = "response.mcp_call.in_progress", ["item_id"] = item.Id, ["output_index"] = index },
            ];
        });

        var (output, error) = await CallAsync(connection, item, arguments, r.Token).ConfigureAwait(false);
        yield return new ResponseStep.Emit(() =>
        {
            item.Output = output;
            item.Error = error;
            List<JsonObject> events = [new JsonObject { ["type"] = error is null ? "response.mcp_call.completed" : "response.mcp_call.failed", ["item_id"] = item.Id, ["output_index"] = index }];
            events.AddRange(items.CloseOpen(r, "completed"));
            return events;
        });
    }

    /// <summary>
    /// The call's output, or its error: <c>tool_execution_error</c> for a result the tool marked <c>isError</c>, else what
    /// the request failed with (<see cref="McpRemoteError.ToCallError"/>). Cancelled with the response, and only then.
    /// </summary>
    private static async Task<(string? Output, JsonObject? Error)> CallAsync(McpConnection? connection, ConversationItem item, string arguments, CancellationToken response)
    {
        if (connection is null)
        {
            return (null, McpRemoteError.Unreachable($"the session has no MCP server labelled '{item.ServerLabel}'.").ToCallError());
        }

        try
        {
            var result = await connection.CallToolAsync(item.Name!, ArgumentsObject(arguments), response).ConfigureAwait(false);
            return result.IsError
                ? (null, new JsonObject { ["type"] = "tool_execution_error", ["message"] = result.Text.Length > 0 ? result.Text : "The tool reported an error." })
                : (result.Text, null);
        }
        catch (McpRemoteError failure)
        {
            return (null, failure.ToCallError());
        }
        catch (OperationCanceledException) when (!response.IsCancellationRequested)
        {
            // The server left the session mid-call (an update removed or replaced it): the call fails, the response goes on.
            return (null, McpRemoteError.Unreachable("its connection closed during the call, as the session's tools changed.").ToCallError());
        }
    }

    /// <summary>The arguments as the object <c>tools/call</c> takes; what is not a JSON object (a restored request's, say) is no arguments.</summary>
    private static JsonObject ArgumentsObject(string arguments)
    {
        try
        {
            return JsonNode.Parse(arguments) as JsonObject ?? [];
        }
        catch (JsonException)
        {
            return [];
        }
    }
}
