using System.Text.Json;
using System.Text.Json.Serialization;

namespace V2V.Realtime.Protocol;

/// <summary>
/// An event of the OpenAI Realtime protocol, in either direction. One typed model serves both dialects:
/// <see cref="Type"/> holds the name as it was on the wire (or the GA name for events built in code), and
/// fields the model does not know are kept in <see cref="AdditionalProperties"/> so nothing is lost.
/// </summary>
public abstract class RealtimeEvent
{
    /// <summary>Creates an event with the given wire name.</summary>
    protected RealtimeEvent(string type) => Type = type;

    /// <summary>The event type as on the wire, e.g. <c>response.output_audio.delta</c>.</summary>
    [JsonPropertyName("type"), JsonPropertyOrder(-2)]
    public string Type { get; init; }

    private string? _eventId;

    /// <summary>
    /// The event id: set by the server on server events. On a client event the caller may choose it; when it is
    /// left null the client's connection gives one as it sends the event, so that an <c>error</c> whose
    /// <c>event_id</c> names it can be matched to the request (read it here after sending).
    /// </summary>
    [JsonPropertyName("event_id"), JsonPropertyOrder(-1)]
    public string? EventId
    {
        get => _eventId ??= MaterializeEventId();
        init => _eventId = value;
    }

    /// <summary>An event that keeps its id as received bytes (the audio delta) makes the string only when asked.</summary>
    private protected virtual string? MaterializeEventId() => null;

    /// <summary>The client names an event that its caller left without an id (the caller reads it back from <see cref="EventId"/>).</summary>
    internal void AssignEventId(string eventId) => _eventId = eventId;

    /// <summary>For an event instance that is reused: forgets the id string of its previous use.</summary>
    private protected void ForgetEventId() => _eventId = null;

    /// <summary>Fields of the event that this model does not know, with their raw JSON.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>An event the client sends to the server.</summary>
public abstract class RealtimeClientEvent : RealtimeEvent
{
    /// <summary>Creates a client event with the given wire name.</summary>
    protected RealtimeClientEvent(string type) : base(type) { }
}

/// <summary>An event the server sends to the client.</summary>
public abstract class RealtimeServerEvent : RealtimeEvent
{
    /// <summary>Creates a server event with the given wire name.</summary>
    protected RealtimeServerEvent(string type) : base(type) { }

    /// <summary>Stopwatch timestamp of the message's arrival, set only while <see cref="Diagnostics.RealtimeProbe"/> is enabled (else 0).</summary>
    [JsonIgnore]
    internal long ReceivedTimestamp { get; set; }
}
