using System.Collections.Frozen;

namespace V2V.Realtime.Protocol;

/// <summary>
/// Every event type of both dialects, found by wire name or CLR type. Both dialects' names map to the same
/// CLR type, so a reader gets one typed model whichever dialect is on the wire.
/// </summary>
internal static partial class RealtimeEventCatalog
{
    private static readonly RealtimeEventDescriptor[] All = [.. Generated(RealtimeJsonContext.Default)];

    private static readonly FrozenDictionary<string, RealtimeEventDescriptor> ServerByName = ByName(isClient: false);
    private static readonly FrozenDictionary<string, RealtimeEventDescriptor> ClientByName = ByName(isClient: true);
    private static readonly FrozenDictionary<Type, RealtimeEventDescriptor> ByType = All.ToFrozenDictionary(d => d.ClrType);

    // Lookups by the UTF-8 bytes of the name avoid a string per message on the receive path.
    private static readonly FrozenDictionary<string, RealtimeEventDescriptor>.AlternateLookup<ReadOnlySpan<char>> ServerBySpan =
        ServerByName.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>All known event types.</summary>
    public static IReadOnlyList<RealtimeEventDescriptor> Events => All;

    /// <summary>The server event named <paramref name="wireName"/> in either dialect.</summary>
    public static bool TryGetServerEvent(ReadOnlySpan<char> wireName, out RealtimeEventDescriptor descriptor) =>
        ServerBySpan.TryGetValue(wireName, out descriptor!);

    /// <summary>The client event named <paramref name="wireName"/> in either dialect.</summary>
    public static bool TryGetClientEvent(string wireName, out RealtimeEventDescriptor descriptor) =>
        ClientByName.TryGetValue(wireName, out descriptor!);

    /// <summary>The descriptor of an event type.</summary>
    public static RealtimeEventDescriptor Of(Type clrType) =>
        ByType.TryGetValue(clrType, out var d) ? d : throw new ArgumentException($"{clrType.Name} is not an event type of the protocol.", nameof(clrType));

    private static FrozenDictionary<string, RealtimeEventDescriptor> ByName(bool isClient)
    {
        var map = new Dictionary<string, RealtimeEventDescriptor>(StringComparer.Ordinal);
        foreach (var d in All.Where(d => d.IsClientEvent == isClient))
        {
            if (d.GaName is not null) map[d.GaName] = d;
            if (d.BetaName is not null) map[d.BetaName] = d;
        }
        return map.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
