using System.Text.Json;
using System.Text.Json.Serialization;
using V2V.Realtime.Protocol.Serialization;

namespace V2V.Realtime.Protocol.Models;

/// <summary>
/// The configuration of a realtime session, in the shape of the GA protocol (the beta shape is mapped to it
/// and back at the wire). Used by <c>session.update</c> (only the fields set are sent) and returned in full
/// by <c>session.created</c> / <c>session.updated</c>.
/// </summary>
public sealed class RealtimeSession
{
    /// <summary>The session type: <c>realtime</c> (GA only; the beta wire has no such field).</summary>
    [JsonPropertyName("type")] public string? Type { get; set; }

    /// <summary>The session id, e.g. <c>sess_...</c> (server only).</summary>
    [JsonPropertyName("id")] public string? Id { get; set; }

    /// <summary>The object type, <c>realtime.session</c> (server only).</summary>
    [JsonPropertyName("object")] public string? Object { get; set; }

    /// <summary>When the session expires, in Unix seconds (server only).</summary>
    [JsonPropertyName("expires_at")] public long? ExpiresAt { get; set; }

    /// <summary>The model of the session.</summary>
    [JsonPropertyName("model")] public string? Model { get; set; }

    /// <summary>What the model may answer with: <c>["audio"]</c> or <c>["text"]</c> (beta: <c>modalities</c>).</summary>
    [JsonPropertyName("output_modalities")] public List<string>? OutputModalities { get; set; }

    /// <summary>The system instructions.</summary>
    [JsonPropertyName("instructions")] public string? Instructions { get; set; }

    /// <summary>Audio input and output settings (beta: flat fields <c>voice</c>, <c>input_audio_format</c>, <c>turn_detection</c>, ...).</summary>
    [JsonPropertyName("audio")] public RealtimeSessionAudio? Audio { get; set; }

    /// <summary>The tools (functions) the model may call.</summary>
    [JsonPropertyName("tools")] public List<RealtimeTool>? Tools { get; set; }

    /// <summary>How the model chooses tools: <c>auto</c>, <c>none</c>, <c>required</c> or an object naming a function.</summary>
    [JsonPropertyName("tool_choice")] [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public JsonElement ToolChoice { get; set; }

    /// <summary>The sampling temperature (beta dialect only; GA models fix it).</summary>
    [JsonPropertyName("temperature")] public double? Temperature { get; set; }

    /// <summary>The maximum output tokens of one response (beta: <c>max_response_output_tokens</c>).</summary>
    [JsonPropertyName("max_output_tokens")] public RealtimeTokenLimit? MaxOutputTokens { get; set; }

    /// <summary>Additional fields to include in server outputs (GA).</summary>
    [JsonPropertyName("include")] [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public JsonElement Include { get; set; }

    /// <summary>Tracing configuration (GA), kept as JSON.</summary>
    [JsonPropertyName("tracing")] [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public JsonElement Tracing { get; set; }

    /// <summary>A stored prompt reference (GA), kept as JSON.</summary>
    [JsonPropertyName("prompt")] [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public JsonElement Prompt { get; set; }

    /// <summary>Whether the model may call several tools at once (GA; reasoning models such as <c>gpt-realtime-2</c>).</summary>
    [JsonPropertyName("parallel_tool_calls")] public bool? ParallelToolCalls { get; set; }

    /// <summary>Reasoning of a reasoning model such as <c>gpt-realtime-2</c> (GA: <c>{"effort": "low"}</c>), kept as JSON.</summary>
    [JsonPropertyName("reasoning")] [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public JsonElement Reasoning { get; set; }

    /// <summary>Truncation behaviour (GA), kept as JSON.</summary>
    [JsonPropertyName("truncation")] [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public JsonElement Truncation { get; set; }

    /// <summary>Fields this model does not know, with their raw JSON.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
