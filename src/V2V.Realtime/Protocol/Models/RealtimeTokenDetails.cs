using System.Text.Json;
using System.Text.Json.Serialization;

namespace V2V.Realtime.Protocol.Models;

/// <summary>Tokens by kind: text, audio, image, cached.</summary>
public sealed class RealtimeTokenDetails
{
    /// <summary>Text tokens.</summary>
    [JsonPropertyName("text_tokens")] public int? TextTokens { get; set; }

    /// <summary>Audio tokens.</summary>
    [JsonPropertyName("audio_tokens")] public int? AudioTokens { get; set; }

    /// <summary>Image tokens (GA).</summary>
    [JsonPropertyName("image_tokens")] public int? ImageTokens { get; set; }

    /// <summary>Tokens served from the prompt cache (input only).</summary>
    [JsonPropertyName("cached_tokens")] public int? CachedTokens { get; set; }

    /// <summary>Fields this model does not know, with their raw JSON.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
