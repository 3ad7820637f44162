using V2V.Simulator.Protocol;
using V2V.Simulator.Session;

namespace V2V.Simulator.Mcp;

/// <summary>
/// What an <c>mcp_approval_response</c> the client creates must answer: an approval request of this conversation that
/// is still pending. An answer to no request, or a second answer to one, would leave the model with a call it cannot
/// tie to a question, or with two verdicts on one: refused, as the service refuses an output for a call it does not have.
/// </summary>
internal static class McpApprovalRules
{
    public static InvalidParam? Check(ConversationItem response, Conversation conversation)
    {
        var requestId = response.ApprovalRequestId;
        if (!conversation.Items.Any(i => i.Type == "mcp_approval_request" && i.Id == requestId))
        {
            return new("invalid_value", $"Invalid 'item.approval_request_id': no approval request with id '{requestId}' is pending in this conversation.", "item.approval_request_id");
        }

        return conversation.Items.Any(i => i.Type == "mcp_approval_response" && i.ApprovalRequestId == requestId)
            ? new("invalid_value", $"Invalid 'item.approval_request_id': the approval request '{requestId}' was already answered.", "item.approval_request_id")
            : null;
    }
}
