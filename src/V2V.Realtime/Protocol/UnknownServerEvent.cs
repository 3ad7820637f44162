using System.Text.Json;

namespace V2V.Realtime.Protocol;

/// <summary>
/// A server event whose type this library does not know (a newer protocol, a vendor extension). It is
/// surfaced with its raw JSON rather than dropped or treated as an error.
/// </summary>
public sealed class UnknownServerEvent : RealtimeServerEvent
{
    /// <summary>Creates the event from its wire type and raw JSON.</summary>
    public UnknownServerEvent(string type, JsonElement raw) : base(type) => Raw = raw;

    /// <summary>The whole event as received.</summary>
    public JsonElement Raw { get; }
}
