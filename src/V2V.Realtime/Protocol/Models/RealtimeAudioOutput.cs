using System.Text.Json;
using System.Text.Json.Serialization;
using V2V.Realtime.Protocol.Serialization;

namespace V2V.Realtime.Protocol.Models;

/// <summary>Output audio settings (GA <c>audio.output</c>; beta: <c>output_audio_format</c>, <c>voice</c>, <c>speed</c>).</summary>
public sealed class RealtimeAudioOutput
{
    /// <summary>The format of the audio the server sends.</summary>
    [JsonPropertyName("format")] public RealtimeAudioFormat? Format { get; set; }

    /// <summary>The voice, e.g. <c>alloy</c>, <c>marin</c>, or a custom voice id.</summary>
    [JsonPropertyName("voice")] public RealtimeVoice? Voice { get; set; }

    /// <summary>The speaking speed (1 is normal).</summary>
    [JsonPropertyName("speed")] public double? Speed { get; set; }

    /// <summary>Fields this model does not know, with their raw JSON.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
