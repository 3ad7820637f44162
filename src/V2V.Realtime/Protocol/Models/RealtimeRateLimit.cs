using System.Text.Json;
using System.Text.Json.Serialization;

namespace V2V.Realtime.Protocol.Models;

/// <summary>One rate limit as reported by <c>rate_limits.updated</c>.</summary>
public sealed class RealtimeRateLimit
{
    /// <summary><c>requests</c> or <c>tokens</c>.</summary>
    [JsonPropertyName("name")] public string? Name { get; set; }

    /// <summary>The maximum allowed.</summary>
    [JsonPropertyName("limit")] public long? Limit { get; set; }

    /// <summary>What remains before the limit.</summary>
    [JsonPropertyName("remaining")] public long? Remaining { get; set; }

    /// <summary>Seconds until the limit resets.</summary>
    [JsonPropertyName("reset_seconds")] public double? ResetSeconds { get; set; }

    /// <summary>Fields this model does not know, with their raw JSON.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
