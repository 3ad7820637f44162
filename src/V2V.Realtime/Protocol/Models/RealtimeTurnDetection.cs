using System.Text.Json;
using System.Text.Json.Serialization;
using V2V.Realtime.Protocol.Serialization;

namespace V2V.Realtime.Protocol.Models;

/// <summary>How the server finds the end of the user's turn: server VAD (energy threshold and silence) or semantic VAD.</summary>
public sealed class RealtimeTurnDetection : IDisableable<RealtimeTurnDetection>
{
    /// <summary>No turn detection: sent as <c>null</c>; the client commits the buffer and asks for responses itself.</summary>
    public static RealtimeTurnDetection Disabled { get; } = new() { Type = "none" };

    /// <summary><c>server_vad</c> or <c>semantic_vad</c>.</summary>
    [JsonPropertyName("type")] public string? Type { get; set; }

    /// <summary>Activation threshold 0..1 (server VAD); higher needs louder audio.</summary>
    [JsonPropertyName("threshold")] public double? Threshold { get; set; }

    /// <summary>Audio kept before the detected start of speech, in ms (server VAD).</summary>
    [JsonPropertyName("prefix_padding_ms")] public int? PrefixPaddingMs { get; set; }

    /// <summary>Silence that ends a turn, in ms (server VAD).</summary>
    [JsonPropertyName("silence_duration_ms")] public int? SilenceDurationMs { get; set; }

    /// <summary>How eager semantic VAD is to end the turn: <c>low</c>, <c>medium</c>, <c>high</c>, <c>auto</c>.</summary>
    [JsonPropertyName("eagerness")] public string? Eagerness { get; set; }

    /// <summary>Whether the server creates a response when a turn ends.</summary>
    [JsonPropertyName("create_response")] public bool? CreateResponse { get; set; }

    /// <summary>Whether speech interrupts a response in progress.</summary>
    [JsonPropertyName("interrupt_response")] public bool? InterruptResponse { get; set; }

    /// <summary>Timeout after which the server prompts an idle user, in ms (GA).</summary>
    [JsonPropertyName("idle_timeout_ms")] public int? IdleTimeoutMs { get; set; }

    /// <summary>Fields this model does not know, with their raw JSON.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
