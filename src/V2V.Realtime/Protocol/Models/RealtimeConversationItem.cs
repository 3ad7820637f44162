using System.Text.Json;
using System.Text.Json.Serialization;
using V2V.Realtime.Protocol.Serialization;

namespace V2V.Realtime.Protocol.Models;

/// <summary>
/// An item of the conversation: a message (system, user, assistant), a function call, or a function call
/// output; GA also has the items of remote MCP servers (<c>mcp_list_tools</c>, <c>mcp_call</c>,
/// <c>mcp_approval_request</c>, <c>mcp_approval_response</c>).
/// </summary>
public sealed class RealtimeConversationItem
{
    /// <summary>
    /// The longest id a client may give an item it creates: the service refuses a longer one
    /// (<c>string_above_max_length</c>; a GUID is 36 characters). The published schema does not say so.
    /// </summary>
    public const int MaxIdLength = 32;

    /// <summary>The item id, e.g. <c>item_...</c>; at most <see cref="MaxIdLength"/> characters when the client gives it.</summary>
    [JsonPropertyName("id")] public string? Id { get; set; }

    /// <summary>The object type, <c>realtime.item</c>.</summary>
    [JsonPropertyName("object")] public string? Object { get; set; }

    /// <summary><c>message</c>, <c>function_call</c>, <c>function_call_output</c>, <c>item_reference</c>, ...</summary>
    [JsonPropertyName("type")] public string? Type { get; set; }

    /// <summary><c>completed</c>, <c>incomplete</c> or <c>in_progress</c>.</summary>
    [JsonPropertyName("status")] public string? Status { get; set; }

    /// <summary>The role of a message: <c>system</c>, <c>user</c> or <c>assistant</c>.</summary>
    [JsonPropertyName("role")] public string? Role { get; set; }

    /// <summary>The content of a message.</summary>
    [JsonPropertyName("content")] public List<RealtimeContentPart>? Content { get; set; }

    /// <summary>The call id of a function call or its output.</summary>
    [JsonPropertyName("call_id")] public string? CallId { get; set; }

    /// <summary>The function name of a function call.</summary>
    [JsonPropertyName("name")] public string? Name { get; set; }

    /// <summary>The arguments of a function call, as JSON text.</summary>
    [JsonPropertyName("arguments")] public string? Arguments { get; set; }

    /// <summary>The output of a function call, as text (usually JSON).</summary>
    [JsonPropertyName("output")] public string? Output { get; set; }

    /// <summary>MCP items: the label of the server.</summary>
    [JsonPropertyName("server_label")] public string? ServerLabel { get; set; }

    /// <summary><c>mcp_call</c>: the approval request it ran under; <c>mcp_approval_response</c>: the request it answers.</summary>
    [JsonPropertyName("approval_request_id")] public string? ApprovalRequestId { get; set; }

    /// <summary><c>mcp_approval_response</c>: whether the call may run.</summary>
    [JsonPropertyName("approve")] public bool? Approve { get; set; }

    /// <summary><c>mcp_approval_response</c>: why, when given.</summary>
    [JsonPropertyName("reason")] public string? Reason { get; set; }

    /// <summary><c>mcp_call</c>: what failed (an object with <c>type</c> and <c>message</c>), when it failed.</summary>
    [JsonPropertyName("error")] [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public JsonElement Error { get; set; }

    /// <summary><c>mcp_list_tools</c>: the tools the server offers (objects with <c>name</c>, <c>description</c>, <c>input_schema</c>).</summary>
    [JsonPropertyName("tools")] [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public JsonElement Tools { get; set; }

    /// <summary>Fields this model does not know, with their raw JSON.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }

    /// <summary>A user message with text content.</summary>
    public static RealtimeConversationItem UserText(string text) => Message("user", RealtimeContentPart.InputTextType, text);

    /// <summary>A system message with text content.</summary>
    public static RealtimeConversationItem SystemText(string text) => Message("system", RealtimeContentPart.InputTextType, text);

    /// <summary>An assistant message with text content (e.g. a replayed turn).</summary>
    public static RealtimeConversationItem AssistantText(string text) => Message("assistant", RealtimeContentPart.OutputTextType, text);

    /// <summary>The output of a function call, answering <paramref name="callId"/>.</summary>
    public static RealtimeConversationItem FunctionCallOutput(string callId, string output) =>
        new() { Type = "function_call_output", CallId = callId, Output = output };

    /// <summary>A function call, e.g. to replay history after a reconnect.</summary>
    public static RealtimeConversationItem FunctionCall(string callId, string name, string arguments) =>
        new() { Type = "function_call", CallId = callId, Name = name, Arguments = arguments };

    /// <summary>
    /// The client's answer to an MCP approval request: the call runs (<paramref name="approve"/>) or not. It has an id of
    /// its own, as the GA schema requires of this item (and of no other the client creates).
    /// </summary>
    public static RealtimeConversationItem McpApprovalResponse(string approvalRequestId, bool approve, string? reason = null) =>
        new() { Id = $"mcpr_{Guid.NewGuid():N}"[..MaxIdLength], Type = "mcp_approval_response", ApprovalRequestId = approvalRequestId, Approve = approve, Reason = reason };

    private static RealtimeConversationItem Message(string role, string partType, string text) =>
        new() { Type = "message", Role = role, Content = [new RealtimeContentPart { Type = partType, Text = text }] };
}
