using System.Text.Json.Serialization;

namespace V2V.Realtime.Protocol;

/// <summary>A server event about one output item of a response: the response, the item, its index in the output.</summary>
public abstract class RealtimeResponseItemEvent : RealtimeServerEvent
{
    /// <summary>Creates the event with its wire name.</summary>
    protected RealtimeResponseItemEvent(string type) : base(type) { }

    private string _responseId = null!;
    private string _itemId = null!;
    private int _outputIndex;

    /// <summary>The ID of the response.</summary>
    [JsonPropertyName("response_id")]
    public required string ResponseId { get => _responseId; init => _responseId = value; }

    /// <summary>The ID of the item.</summary>
    [JsonPropertyName("item_id")]
    public required string ItemId { get => _itemId; init => _itemId = value; }

    /// <summary>The index of the output item in the response.</summary>
    [JsonPropertyName("output_index")]
    public required int OutputIndex { get => _outputIndex; init => _outputIndex = value; }

    /// <summary>For an event instance that is reused (the pooled audio delta): the fields of its next use.</summary>
    private protected void SetItemFields(string responseId, string itemId, int outputIndex)
    {
        _responseId = responseId;
        _itemId = itemId;
        _outputIndex = outputIndex;
    }
}

/// <summary>A server event about one content part of an output item (audio, text, transcript deltas and their ends).</summary>
public abstract class RealtimeResponseContentEvent : RealtimeResponseItemEvent
{
    /// <summary>Creates the event with its wire name.</summary>
    protected RealtimeResponseContentEvent(string type) : base(type) { }

    private int _contentIndex;

    /// <summary>The index of the content part in the item's content array.</summary>
    [JsonPropertyName("content_index")]
    public required int ContentIndex { get => _contentIndex; init => _contentIndex = value; }

    /// <summary>For an event instance that is reused (the pooled audio delta): the fields of its next use.</summary>
    private protected void SetContentFields(string responseId, string itemId, int outputIndex, int contentIndex)
    {
        SetItemFields(responseId, itemId, outputIndex);
        _contentIndex = contentIndex;
    }
}
