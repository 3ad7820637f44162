using System.Text.Json.Nodes;
using V2V.Simulator.Protocol;

namespace V2V.Simulator.Session;

/// <summary>
/// An item of the conversation: a message, a function call or a function call's output, or one of the items of remote
/// MCP tools (GA): a server's listed tools, a call of one, a request for the client's approval and its answer.
/// </summary>
internal sealed class ConversationItem
{
    public string Id { get; init; } = EventIds.Item();

    public required string Type { get; init; }

    public string? Role { get; init; }

    public string Status { get; set; } = "completed";

    public List<ContentPart> Content { get; } = [];

    public string? CallId { get; init; }

    public string? Name { get; init; }

    public string? Arguments { get; set; }

    /// <summary>A function call's output, or an MCP call's (set when the call completes).</summary>
    public string? Output { get; set; }

    /// <summary>The label of the MCP server of an <c>mcp_list_tools</c>, <c>mcp_call</c> or <c>mcp_approval_request</c>.</summary>
    public string? ServerLabel { get; init; }

    /// <summary>The tools of an <c>mcp_list_tools</c> item, as the item shows them.</summary>
    public JsonArray? Tools { get; set; }

    /// <summary>The approval request an <c>mcp_approval_response</c> answers, or that an <c>mcp_call</c> was approved by.</summary>
    public string? ApprovalRequestId { get; init; }

    /// <summary>Whether an <c>mcp_approval_response</c> approves the call.</summary>
    public bool Approve { get; init; }

    /// <summary>The reason an <c>mcp_approval_response</c> gives, if any.</summary>
    public string? Reason { get; init; }

    /// <summary>Why an <c>mcp_call</c> failed (<c>protocol_error</c>, <c>tool_execution_error</c> or <c>http_error</c>), or null.</summary>
    public JsonObject? Error { get; set; }

    /// <summary>One of the items of remote MCP tools (<c>mcp_list_tools</c>, <c>mcp_call</c>, <c>mcp_approval_request</c>, <c>mcp_approval_response</c>).</summary>
    public bool IsMcp => Type.StartsWith("mcp_", StringComparison.Ordinal);

    /// <summary>
    /// The item as the server shows it, in the dialect's names. Audio bytes are left out (as in the service's events),
    /// except where <paramref name="audioOf"/> gives them: <c>conversation.item.retrieved</c> "includes the full content
    /// of the Item, including audio data".
    /// </summary>
    public JsonObject ToJson(DialectProfile profile, Func<ContentPart, string?>? audioOf = null)
    {
        // The schema's MCP items have neither object nor status: a client giving one back as it was told (restoring a
        // conversation) would otherwise be refused for an unknown parameter. A cancelled call's item shows it by having
        // neither output nor error.
        var json = IsMcp ? new JsonObject { ["id"] = Id, ["type"] = Type } : new JsonObject { ["id"] = Id, ["object"] = "realtime.item", ["type"] = Type };
        switch (Type)
        {
            case "message":
                json["status"] = Status;
                json["role"] = Role;
                var content = new JsonArray();
                foreach (var part in Content)
                {
                    var partJson = PartToJson(part, profile);
                    if (audioOf?.Invoke(part) is { } audio)
                    {
                        partJson["audio"] = audio;
                    }

                    content.Add(partJson);
                }

                json["content"] = content;
                break;
            case "function_call":
                json["status"] = Status;
                json["call_id"] = CallId;
                json["name"] = Name;
                json["arguments"] = Arguments ?? string.Empty;
                break;
            case "mcp_list_tools":
                json["server_label"] = ServerLabel;
                json["tools"] = Tools?.DeepClone() ?? new JsonArray();
                break;
            case "mcp_call":
                json["server_label"] = ServerLabel;
                json["name"] = Name;
                json["arguments"] = Arguments ?? string.Empty;
                json["approval_request_id"] = ApprovalRequestId;
                json["output"] = Output;
                json["error"] = Error?.DeepClone();
                break;
            case "mcp_approval_request":
                json["server_label"] = ServerLabel;
                json["name"] = Name;
                json["arguments"] = Arguments ?? string.Empty;
                break;
            case "mcp_approval_response":
                json["approval_request_id"] = ApprovalRequestId;
                json["approve"] = Approve;
                json["reason"] = Reason;
                break;
            default:
                json["call_id"] = CallId;
                json["output"] = Output;
                break;
        }

        return json;
    }

    public static JsonObject PartToJson(ContentPart part, DialectProfile profile)
    {
        var json = new JsonObject();
        switch (part.Kind)
        {
            case ContentKind.InputText:
                json["type"] = "input_text";
                json["text"] = part.Text ?? string.Empty;
                break;
            case ContentKind.InputAudio:
                json["type"] = "input_audio";
                if (part.Transcript is not null)
                {
                    json["transcript"] = part.Transcript;
                }

                break;
            case ContentKind.InputImage:
                // The image is not sent back: the item says what it holds, not its bytes.
                json["type"] = "input_image";
                json["detail"] = part.Detail ?? "auto";
                break;
            case ContentKind.OutputText:
                json["type"] = profile.AssistantTextContent;
                json["text"] = part.Text ?? string.Empty;
                break;
            default:
                json["type"] = profile.AssistantAudioContent;
                json["transcript"] = part.Transcript ?? string.Empty;
                break;
        }

        return json;
    }
}
