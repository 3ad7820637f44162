using System.Text.Json;
using System.Text.Json.Serialization;

namespace V2V.Realtime.Protocol.Models;

/// <summary>The conversation of a session, as in <c>conversation.created</c>.</summary>
public sealed class RealtimeConversation
{
    /// <summary>The conversation id.</summary>
    [JsonPropertyName("id")] public string? Id { get; set; }

    /// <summary>The object type, <c>realtime.conversation</c>.</summary>
    [JsonPropertyName("object")] public string? Object { get; set; }

    /// <summary>Fields this model does not know, with their raw JSON.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
