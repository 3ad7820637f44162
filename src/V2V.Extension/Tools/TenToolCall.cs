using System.Text.Json;
using System.Text.Json.Nodes;
using V2V.Ten;
using V2V.Ten.Messages;

namespace V2V.Extension.Tools;

/// <summary>
/// A call of a <see cref="TenTool"/> as the cmd <c>tool_call</c>, and its result as the function's output. The cmd
/// carries <c>name</c> and <c>arguments</c> (a JSON object: ten_ai_base's <c>AsyncLLMToolBaseExtension</c> reads it
/// with <c>get_property_to_json</c>) and, for tools written before it, <c>args</c> (the same as text). The output is read
/// from <c>tool_result</c> (<c>{type, content}</c>, content a string or content parts or any JSON, as ten_ai_base
/// returns it), else from <c>response</c> (a string, the older form). An error status throws: the voice session turns
/// that into an output that tells the model the tool failed (as it does a timeout), so it never waits for an answer
/// that will not come.
/// </summary>
internal static class TenToolCall
{
    public static async Task<string> CallAsync(ITenEnv env, string name, JsonObject arguments, CancellationToken cancellationToken)
    {
        var cmd = new Cmd("tool_call");
        cmd.Set("name", name).Set("arguments", arguments).Set("args", arguments.ToJsonString());
        var result = await env.SendCmdAsync(cmd, cancellationToken).ConfigureAwait(false);
        if (result.Status != StatusCode.Ok)
        {
            throw new InvalidOperationException(result.Detail ?? "the tool answered with an error status");
        }
        return Output(result);
    }

    /// <summary>The function output a tool_call result gives.</summary>
    public static string Output(CmdResult result)
    {
        if (result.Properties["tool_result"] is { } toolResult)
        {
            var parsed = toolResult.GetValueKind() == JsonValueKind.String ? TryParse(toolResult.GetValue<string>()) ?? toolResult : toolResult;
            return parsed is JsonObject o && o.ContainsKey("content") ? Content(o["content"]) : Content(parsed);
        }
        if (result.GetString("response") is { } response)
        {
            return response;
        }
        // ten_ai_base answers OK and nothing more when its run_tool returns None.
        return """{"result":null}""";
    }

    // A string is the output itself; content parts give their text; any other JSON goes as its text.
    private static string Content(JsonNode? content)
    {
        switch (content)
        {
            case null:
                return """{"result":null}""";
            case JsonValue v when v.TryGetValue<string>(out var text):
                return text;
            case JsonArray parts when parts.Count > 0 && parts.All(p => p is JsonObject part && part["type"] is not null):
                var texts = parts.OfType<JsonObject>().Where(p => p["type"]?.GetValue<string>() == "text").Select(p => p["text"]?.GetValue<string>()).OfType<string>().ToList();
                return texts.Count > 0 ? string.Join("\n", texts) : content.ToJsonString();
            default:
                return content.ToJsonString();
        }
    }

    private static JsonNode? TryParse(string text)
    {
        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
