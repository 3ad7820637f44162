using System.Text.Json.Serialization.Metadata;

namespace V2V.Realtime.Protocol;

/// <summary>One event type of the protocol: its CLR type, direction, its names in both dialects and its serializer metadata.</summary>
internal sealed record RealtimeEventDescriptor(Type ClrType, bool IsClientEvent, string? GaName, string? BetaName, JsonTypeInfo TypeInfo)
{
    /// <summary>The name to write in <paramref name="dialect"/>; an event the dialect lacks keeps the other's name.</summary>
    public string NameIn(RealtimeDialect dialect) => (dialect == RealtimeDialect.Beta ? BetaName ?? GaName : GaName ?? BetaName)!;
}
