using V2V.Simulator.Mcp;
using V2V.Simulator.Session;

namespace V2V.Simulator.Responses;

/// <summary>
/// The local agent's rules for remote MCP tools: a user text that names a listed tool calls it (see
/// <see cref="ToolMention"/>), or asks the client's approval first when the tool's <c>require_approval</c> says so;
/// the client's answer to that request runs the call, or has the model say it did not.
/// </summary>
internal static class McpTurns
{
    /// <summary>The call (or approval request) of the first of <paramref name="tools"/> that <paramref name="text"/> names, or null.</summary>
    public static PlannedOutput? CallNamedIn(string text, IReadOnlyList<McpOfferedTool> tools)
    {
        foreach (var offered in tools)
        {
            if (ToolMention.RestAfter(text, offered.Tool.Name) is { } rest)
            {
                var arguments = ToolMention.Arguments(rest, offered.Tool.InputSchema);
                return offered.NeedsApproval
                    ? new PlannedMcpApprovalRequest(offered.ServerLabel, offered.Tool.Name, arguments)
                    : new PlannedMcpCall(offered.ServerLabel, offered.Tool.Name, arguments, null);
            }
        }

        return null;
    }

    /// <summary>The answer to the client's <c>mcp_approval_response</c> <paramref name="response"/>: the approved call, or the words that it was not made.</summary>
    public static PlannedOutput AnswerToApproval(ConversationItem response, IReadOnlyList<ConversationItem> context, bool speaksAudio)
    {
        if (context.LastOrDefault(i => i.Type == "mcp_approval_request" && i.Id == response.ApprovalRequestId) is not { } request)
        {
            // Deleted since it was answered: there is nothing left to run.
            return EchoAgent.Say("I cannot run the tool: its approval request is no longer in the conversation.", speaksAudio);
        }

        if (!response.Approve)
        {
            var reason = response.Reason is { Length: > 0 } given ? $" The reason given: {given}" : string.Empty;
            return EchoAgent.Say($"I did not run {request.Name}: it was not approved.{reason}", speaksAudio);
        }

        // Approved once, run once: a later response that finds the call made reports it again rather than calling twice.
        return context.LastOrDefault(i => i.Type == "mcp_call" && i.ApprovalRequestId == request.Id) is { } made
            ? EchoAgent.Say(McpCallSteps.Report(made), speaksAudio)
            : new PlannedMcpCall(request.ServerLabel ?? string.Empty, request.Name ?? string.Empty, request.Arguments ?? "{}", request.Id);
    }
}
