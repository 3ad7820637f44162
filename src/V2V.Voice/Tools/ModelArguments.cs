using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;

namespace V2V.Voice.Tools;

/// <summary>
/// A tool call's arguments back as the JSON object the model wrote, for an <see cref="AIFunction"/> that hands the call
/// on to someone else (a TEN node, a browser page) instead of binding it to .NET parameters.
/// </summary>
public static class ModelArguments
{
    /// <summary>
    /// The session hands each argument over as the model's JSON (a <see cref="JsonElement"/>); anything else a caller
    /// put in goes as Microsoft.Extensions.AI serializes it.
    /// </summary>
    public static JsonObject ToJsonObject(AIFunctionArguments arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var json = new JsonObject();
        foreach (var (key, value) in arguments)
        {
            json[key] = value is JsonElement element
                ? JsonNode.Parse(element.GetRawText())
                : JsonSerializer.SerializeToNode(value, AIJsonUtilities.DefaultOptions.GetTypeInfo(typeof(object)));
        }
        return json;
    }
}
