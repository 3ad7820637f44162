using System.Text.Json.Serialization;
using V2V.Realtime.Protocol.Serialization;

namespace V2V.Realtime.Protocol.Models;

/// <summary>A limit of output tokens: a number, or <c>"inf"</c> for no limit.</summary>
[JsonConverter(typeof(RealtimeTokenLimitConverter))]
public readonly record struct RealtimeTokenLimit(int? Value)
{
    /// <summary>No limit (<c>"inf"</c> on the wire).</summary>
    public static RealtimeTokenLimit Infinite => new(null);

    /// <summary>A limit of <paramref name="tokens"/> tokens.</summary>
    public static implicit operator RealtimeTokenLimit(int tokens) => new(tokens);
}
