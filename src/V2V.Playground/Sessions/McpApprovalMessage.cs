using System.Text.Json;
using V2V.Ten.Messages;

namespace V2V.Playground.Sessions;

/// <summary>
/// The page's <c>mcp_approval</c> (see PROTOCOL.md): the visitor's answer to an <c>mcp_approval_request</c> event, checked
/// here before it becomes the agent's cmd <c>mcp_approval</c>. Whether the request is pending is the agent's to say.
/// </summary>
/// <param name="RequestId">The <c>requestId</c> of the event it answers.</param>
/// <param name="Approve">True: the call runs; false: the model is told it was refused.</param>
/// <param name="Reason">Why it was refused, told to the model; null: none given.</param>
internal sealed record McpApprovalMessage(string RequestId, bool Approve, string? Reason)
{
    /// <summary>The longest <c>requestId</c> taken (the service's ids are some 30 characters).</summary>
    public const int MaxRequestIdLength = 128;

    /// <summary>The longest <c>reason</c> taken.</summary>
    public const int MaxReasonLength = 1000;

    /// <summary>Reads the message, or says in one sentence naming the field what is wrong with it.</summary>
    public static McpApprovalMessage? Parse(JsonElement message, out string? problem)
    {
        problem = null;
        var requestId = message.TryGetProperty("requestId", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;
        if (requestId is not { Length: > 0 and <= MaxRequestIdLength } || string.IsNullOrWhiteSpace(requestId))
        {
            problem = $"mcp_approval: requestId must be the requestId of an mcp_approval_request event, a string of 1 to {MaxRequestIdLength} characters.";
            return null;
        }
        if (!message.TryGetProperty("approve", out var approve) || approve.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            problem = "mcp_approval: approve must be true (the call runs) or false (it is refused).";
            return null;
        }
        string? reason = null;
        if (message.TryGetProperty("reason", out var why) && why.ValueKind != JsonValueKind.Null)
        {
            reason = why.ValueKind == JsonValueKind.String ? why.GetString() : null;
            if (reason is null || reason.Length > MaxReasonLength)
            {
                problem = $"mcp_approval: reason must be a string of at most {MaxReasonLength} characters, or left out.";
                return null;
            }
        }
        return new McpApprovalMessage(requestId, approve.GetBoolean(), string.IsNullOrWhiteSpace(reason) ? null : reason.Trim());
    }

    /// <summary>The agent's cmd <c>mcp_approval</c> (<c>request_id</c>, <c>approve</c>, <c>reason</c> when given).</summary>
    public Cmd ToCmd()
    {
        var cmd = new Cmd("mcp_approval");
        cmd.Set("request_id", RequestId).Set("approve", Approve);
        if (Reason is not null)
        {
            cmd.Set("reason", Reason);
        }
        return cmd;
    }
}
