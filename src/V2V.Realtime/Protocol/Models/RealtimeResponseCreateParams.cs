using System.Text.Json;
using System.Text.Json.Serialization;

namespace V2V.Realtime.Protocol.Models;

/// <summary>Parameters of <c>response.create</c> that override the session for one response (GA shape; beta <c>modalities</c>, <c>voice</c>, <c>output_audio_format</c>, <c>max_response_output_tokens</c> are mapped).</summary>
public sealed class RealtimeResponseCreateParams
{
    /// <summary>The modalities of this response.</summary>
    [JsonPropertyName("output_modalities")] public List<string>? OutputModalities { get; set; }

    /// <summary>Instructions for this response only.</summary>
    [JsonPropertyName("instructions")] public string? Instructions { get; set; }

    /// <summary>Output audio settings for this response.</summary>
    [JsonPropertyName("audio")] public RealtimeResponseAudio? Audio { get; set; }

    /// <summary>Tools for this response.</summary>
    [JsonPropertyName("tools")] public List<RealtimeTool>? Tools { get; set; }

    /// <summary>How the model chooses tools.</summary>
    [JsonPropertyName("tool_choice")] [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public JsonElement ToolChoice { get; set; }

    /// <summary>The maximum output tokens.</summary>
    [JsonPropertyName("max_output_tokens")] public RealtimeTokenLimit? MaxOutputTokens { get; set; }

    /// <summary>The sampling temperature (beta only).</summary>
    [JsonPropertyName("temperature")] public double? Temperature { get; set; }

    /// <summary><c>auto</c> (the default conversation) or <c>none</c> (out of band).</summary>
    [JsonPropertyName("conversation")] [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public JsonElement Conversation { get; set; }

    /// <summary>Metadata to attach, kept as JSON.</summary>
    [JsonPropertyName("metadata")] [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public JsonElement Metadata { get; set; }

    /// <summary>Input items for an out-of-band response.</summary>
    [JsonPropertyName("input")] public List<RealtimeConversationItem>? Input { get; set; }

    /// <summary>Fields this model does not know, with their raw JSON.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
