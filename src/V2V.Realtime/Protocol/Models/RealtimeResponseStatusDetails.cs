using System.Text.Json;
using System.Text.Json.Serialization;

namespace V2V.Realtime.Protocol.Models;

/// <summary>Why a response ended: e.g. cancelled by <c>turn_detected</c> or <c>client_cancelled</c>, or failed with an error.</summary>
public sealed class RealtimeResponseStatusDetails
{
    /// <summary>The status this explains.</summary>
    [JsonPropertyName("type")] public string? Type { get; set; }

    /// <summary><c>turn_detected</c>, <c>client_cancelled</c>, <c>max_output_tokens</c> or <c>content_filter</c>.</summary>
    [JsonPropertyName("reason")] public string? Reason { get; set; }

    /// <summary>The error of a failed response.</summary>
    [JsonPropertyName("error")] public RealtimeErrorDetails? Error { get; set; }

    /// <summary>Fields this model does not know, with their raw JSON.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
