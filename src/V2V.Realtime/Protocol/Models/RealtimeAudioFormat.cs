using System.Text.Json;
using System.Text.Json.Serialization;
using V2V.Realtime.Protocol.Serialization;

namespace V2V.Realtime.Protocol.Models;

/// <summary>An audio format: pcm16 at 24 kHz, or G.711 mu-law / A-law at 8 kHz (beta: <c>pcm16</c>, <c>g711_ulaw</c>, <c>g711_alaw</c>).</summary>
public sealed class RealtimeAudioFormat
{
    /// <summary>GA name of 16-bit little-endian PCM.</summary>
    public const string PcmType = "audio/pcm";

    /// <summary>GA name of G.711 mu-law.</summary>
    public const string PcmuType = "audio/pcmu";

    /// <summary>GA name of G.711 A-law.</summary>
    public const string PcmaType = "audio/pcma";

    /// <summary>pcm16, 24 kHz, mono: the format of the model's own audio.</summary>
    public static RealtimeAudioFormat Pcm16 => new() { Type = PcmType, Rate = 24000 };

    /// <summary>G.711 mu-law, 8 kHz (telephony).</summary>
    public static RealtimeAudioFormat G711Ulaw => new() { Type = PcmuType };

    /// <summary>G.711 A-law, 8 kHz (telephony).</summary>
    public static RealtimeAudioFormat G711Alaw => new() { Type = PcmaType };

    /// <summary>The GA format name: <c>audio/pcm</c>, <c>audio/pcmu</c> or <c>audio/pcma</c>.</summary>
    [JsonPropertyName("type")] public string? Type { get; set; }

    /// <summary>The sample rate (pcm only; 24000).</summary>
    [JsonPropertyName("rate")] public int? Rate { get; set; }

    /// <summary>Fields this model does not know, with their raw JSON.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
