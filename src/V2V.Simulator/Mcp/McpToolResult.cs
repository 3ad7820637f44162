using System.Text.Json.Nodes;

namespace V2V.Simulator.Mcp;

/// <summary>
/// The result of a <c>tools/call</c>: its text (the text content blocks joined by new lines, or, when it has none, its
/// structured content as JSON) and whether the tool said it failed (<c>isError</c>).
/// </summary>
internal sealed record McpToolResult(string Text, bool IsError)
{
    public static McpToolResult FromMcp(JsonObject result)
    {
        var texts = (result["content"] as JsonArray ?? [])
            .OfType<JsonObject>()
            .Where(block => block["type"] is JsonValue type && type.TryGetValue<string>(out var kind) && kind == "text")
            .Select(block => block["text"] is JsonValue text && text.TryGetValue<string>(out var words) ? words : null)
            .OfType<string>()
            .ToList();
        var text = texts.Count > 0 ? string.Join('\n', texts) : result["structuredContent"]?.ToJsonString() ?? string.Empty;
        var isError = result["isError"] is JsonValue flag && flag.TryGetValue<bool>(out var failed) && failed;
        return new McpToolResult(text, isError);
    }
}
