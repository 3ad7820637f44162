using System.Text.Json.Serialization;

namespace V2V.Realtime.Protocol;

/// <summary>A server event about one output item of a response: the response, the item, its index in the output.</summary>
public abstract class RealtimeResponseItemEvent : RealtimeServerEvent
{
    /// <summary>Creates the event with its wire name.</summary>
    protected RealtimeResponseItemEvent(string type) : base(type) { }

    /// <summary>The ID of the response.</summary>
    [JsonPropertyName("response_id")]
    public required string ResponseId { get; init; }

    /// <summary>The ID of the item.</summary>
    [JsonPropertyName("item_id")]
    public required string ItemId { get; init; }

    /// <summary>The index of the output item in the response.</summary>
    [JsonPropertyName("output_index")]
    public required int OutputIndex { get; init; }
}

/// <summary>A server event about one content part of an output item (audio, text, transcript deltas and their ends).</summary>
public abstract class RealtimeResponseContentEvent : RealtimeResponseItemEvent
{
    /// <summary>Creates the event with its wire name.</summary>
    protected RealtimeResponseContentEvent(string type) : base(type) { }

    /// <summary>The index of the content part in the item's content array.</summary>
    [JsonPropertyName("content_index")]
    public required int ContentIndex { get; init; }
}
