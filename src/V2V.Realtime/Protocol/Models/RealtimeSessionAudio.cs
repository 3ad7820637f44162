using System.Text.Json;
using System.Text.Json.Serialization;
using V2V.Realtime.Protocol.Serialization;

namespace V2V.Realtime.Protocol.Models;

/// <summary>The audio settings of a session (GA <c>session.audio</c>).</summary>
public sealed class RealtimeSessionAudio
{
    /// <summary>Input audio: format, transcription, noise reduction, turn detection.</summary>
    [JsonPropertyName("input")] public RealtimeAudioInput? Input { get; set; }

    /// <summary>Output audio: format, voice, speed.</summary>
    [JsonPropertyName("output")] public RealtimeAudioOutput? Output { get; set; }

    /// <summary>Fields this model does not know, with their raw JSON.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
