using System.Text.Json.Serialization;
using V2V.Realtime.Protocol.Serialization;

namespace V2V.Realtime.Protocol.Models;

/// <summary>A voice: a built-in name (<c>alloy</c>, <c>marin</c>, ...), sent as a string, or a custom voice id, sent as <c>{"id": ...}</c>.</summary>
[JsonConverter(typeof(RealtimeVoiceConverter))]
public sealed record RealtimeVoice(string Id, bool IsCustom = false)
{
    /// <summary>A built-in voice by name.</summary>
    public static implicit operator RealtimeVoice(string name) => new(name);

    /// <inheritdoc />
    public override string ToString() => Id;
}
