using System.Text.Json;
using System.Text.Json.Serialization;

namespace V2V.Realtime.Protocol.Models;

/// <summary>A response of the model, as in <c>response.created</c> and <c>response.done</c> (GA shape; beta <c>modalities</c>, <c>voice</c>, <c>output_audio_format</c> are mapped).</summary>
public sealed class RealtimeResponse
{
    /// <summary>The response id, e.g. <c>resp_...</c>.</summary>
    [JsonPropertyName("id")] public string? Id { get; set; }

    /// <summary>The object type, <c>realtime.response</c>.</summary>
    [JsonPropertyName("object")] public string? Object { get; set; }

    /// <summary><c>in_progress</c>, <c>completed</c>, <c>cancelled</c>, <c>failed</c> or <c>incomplete</c>.</summary>
    [JsonPropertyName("status")] public string? Status { get; set; }

    /// <summary>Why the response ended as it did.</summary>
    [JsonPropertyName("status_details")] public RealtimeResponseStatusDetails? StatusDetails { get; set; }

    /// <summary>The items the response produced.</summary>
    [JsonPropertyName("output")] public List<RealtimeConversationItem>? Output { get; set; }

    /// <summary>Metadata the client attached, kept as JSON.</summary>
    [JsonPropertyName("metadata")] [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public JsonElement Metadata { get; set; }

    /// <summary>Token usage, on <c>response.done</c>.</summary>
    [JsonPropertyName("usage")] public RealtimeUsage? Usage { get; set; }

    /// <summary>The conversation the response belongs to.</summary>
    [JsonPropertyName("conversation_id")] public string? ConversationId { get; set; }

    /// <summary>The modalities of the response (beta: <c>modalities</c>).</summary>
    [JsonPropertyName("output_modalities")] public List<string>? OutputModalities { get; set; }

    /// <summary>The audio output settings of the response (beta: <c>voice</c>, <c>output_audio_format</c>).</summary>
    [JsonPropertyName("audio")] public RealtimeResponseAudio? Audio { get; set; }

    /// <summary>The maximum output tokens.</summary>
    [JsonPropertyName("max_output_tokens")] public RealtimeTokenLimit? MaxOutputTokens { get; set; }

    /// <summary>The sampling temperature (beta only).</summary>
    [JsonPropertyName("temperature")] public double? Temperature { get; set; }

    /// <summary>Fields this model does not know, with their raw JSON.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
