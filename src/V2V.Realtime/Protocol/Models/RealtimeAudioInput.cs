using System.Text.Json;
using System.Text.Json.Serialization;
using V2V.Realtime.Protocol.Serialization;

namespace V2V.Realtime.Protocol.Models;

/// <summary>Input audio settings (GA <c>audio.input</c>; beta: <c>input_audio_format</c>, <c>input_audio_transcription</c>, <c>input_audio_noise_reduction</c>, <c>turn_detection</c>).</summary>
public sealed class RealtimeAudioInput
{
    /// <summary>The format of the audio the client appends.</summary>
    [JsonPropertyName("format")] public RealtimeAudioFormat? Format { get; set; }

    /// <summary>Input transcription; <see cref="RealtimeTranscription.Disabled"/> is sent as <c>null</c> (off).</summary>
    [JsonPropertyName("transcription")] [JsonConverter(typeof(DisabledAsNullConverter<RealtimeTranscription>))]
    public RealtimeTranscription? Transcription { get; set; }

    /// <summary>Noise reduction; <see cref="RealtimeNoiseReduction.Disabled"/> is sent as <c>null</c> (off).</summary>
    [JsonPropertyName("noise_reduction")] [JsonConverter(typeof(DisabledAsNullConverter<RealtimeNoiseReduction>))]
    public RealtimeNoiseReduction? NoiseReduction { get; set; }

    /// <summary>Turn detection; <see cref="RealtimeTurnDetection.Disabled"/> is sent as <c>null</c> (manual turns).</summary>
    [JsonPropertyName("turn_detection")] [JsonConverter(typeof(DisabledAsNullConverter<RealtimeTurnDetection>))]
    public RealtimeTurnDetection? TurnDetection { get; set; }

    /// <summary>Fields this model does not know, with their raw JSON.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
