using System.Text.Json;
using System.Text.Json.Serialization;
using V2V.Realtime.Protocol.Serialization;

namespace V2V.Realtime.Protocol.Models;

/// <summary>A tool the model may call: a function with a JSON-schema of its parameters.</summary>
public sealed class RealtimeTool
{
    /// <summary>The tool type, <c>function</c> (GA also knows <c>mcp</c>).</summary>
    [JsonPropertyName("type")] public string Type { get; set; } = "function";

    /// <summary>The function name.</summary>
    [JsonPropertyName("name")] public string? Name { get; set; }

    /// <summary>What the function does and when to call it.</summary>
    [JsonPropertyName("description")] public string? Description { get; set; }

    /// <summary>The parameters, as a JSON schema object.</summary>
    [JsonPropertyName("parameters")] [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public JsonElement Parameters { get; set; }

    /// <summary>Fields this model does not know, with their raw JSON.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
