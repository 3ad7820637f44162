using System.Text.Json;
using System.Text.Json.Serialization;
using V2V.Realtime.Protocol.Serialization;

namespace V2V.Realtime.Protocol.Models;

/// <summary>Noise reduction of the input audio (GA <c>audio.input.noise_reduction</c>; beta <c>input_audio_noise_reduction</c>).</summary>
public sealed class RealtimeNoiseReduction : IDisableable<RealtimeNoiseReduction>
{
    /// <summary>Noise reduction off: sent as <c>null</c>.</summary>
    public static RealtimeNoiseReduction Disabled { get; } = new() { Type = "none" };

    /// <summary><c>near_field</c> (headsets) or <c>far_field</c> (laptop, room microphones).</summary>
    [JsonPropertyName("type")] public string? Type { get; set; }

    /// <summary>Fields this model does not know, with their raw JSON.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
