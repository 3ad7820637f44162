using System.Text.Json;
using System.Text.Json.Serialization;

namespace V2V.Realtime.Protocol.Models;

/// <summary>Token usage of a response.</summary>
public sealed class RealtimeUsage
{
    /// <summary>All tokens, input and output.</summary>
    [JsonPropertyName("total_tokens")] public int? TotalTokens { get; set; }

    /// <summary>Input tokens (conversation and instructions).</summary>
    [JsonPropertyName("input_tokens")] public int? InputTokens { get; set; }

    /// <summary>Output tokens (text and audio).</summary>
    [JsonPropertyName("output_tokens")] public int? OutputTokens { get; set; }

    /// <summary>Input tokens by kind.</summary>
    [JsonPropertyName("input_token_details")] public RealtimeTokenDetails? InputTokenDetails { get; set; }

    /// <summary>Output tokens by kind.</summary>
    [JsonPropertyName("output_token_details")] public RealtimeTokenDetails? OutputTokenDetails { get; set; }

    /// <summary>Fields this model does not know, with their raw JSON.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
