using System.Text.Json;
using System.Text.Json.Serialization;

namespace V2V.Realtime.Protocol.Models;

/// <summary>The audio settings of one response (GA <c>response.audio</c>).</summary>
public sealed class RealtimeResponseAudio
{
    /// <summary>Output format and voice.</summary>
    [JsonPropertyName("output")] public RealtimeAudioOutput? Output { get; set; }

    /// <summary>Fields this model does not know, with their raw JSON.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
