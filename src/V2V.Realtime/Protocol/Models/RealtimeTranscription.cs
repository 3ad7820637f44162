using System.Text.Json;
using System.Text.Json.Serialization;
using V2V.Realtime.Protocol.Serialization;

namespace V2V.Realtime.Protocol.Models;

/// <summary>Transcription of the user's audio (GA <c>audio.input.transcription</c>; beta <c>input_audio_transcription</c>).</summary>
public sealed class RealtimeTranscription : IDisableable<RealtimeTranscription>
{
    /// <summary>Transcription off: sent as <c>null</c>.</summary>
    public static RealtimeTranscription Disabled { get; } = new() { Model = "none" };

    /// <summary>The transcription model, e.g. <c>whisper-1</c>, <c>gpt-4o-transcribe</c>.</summary>
    [JsonPropertyName("model")] public string? Model { get; set; }

    /// <summary>The input language (ISO-639-1), e.g. <c>en</c>.</summary>
    [JsonPropertyName("language")] public string? Language { get; set; }

    /// <summary>A text that guides the transcription.</summary>
    [JsonPropertyName("prompt")] public string? Prompt { get; set; }

    /// <summary>Fields this model does not know, with their raw JSON.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
