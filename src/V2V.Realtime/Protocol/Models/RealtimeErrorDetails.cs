using System.Text.Json;
using System.Text.Json.Serialization;

namespace V2V.Realtime.Protocol.Models;

/// <summary>An error reported by the server: its type, code, message, the parameter at fault and the client event that caused it.</summary>
public sealed class RealtimeErrorDetails
{
    /// <summary>The error type, e.g. <c>invalid_request_error</c>, <c>server_error</c>.</summary>
    [JsonPropertyName("type")] public string? Type { get; set; }

    /// <summary>The error code, if any.</summary>
    [JsonPropertyName("code")] public string? Code { get; set; }

    /// <summary>A human-readable message.</summary>
    [JsonPropertyName("message")] public string? Message { get; set; }

    /// <summary>The parameter at fault, if any.</summary>
    [JsonPropertyName("param")] public string? Param { get; set; }

    /// <summary>The <c>event_id</c> of the client event that caused the error, if any.</summary>
    [JsonPropertyName("event_id")] public string? EventId { get; set; }

    /// <summary>Fields this model does not know, with their raw JSON.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }

    /// <inheritdoc />
    public override string ToString() =>
        $"{Type ?? "error"}{(Code is null ? "" : $" ({Code})")}: {Message}{(Param is null ? "" : $" [param {Param}]")}{(EventId is null ? "" : $" [event {EventId}]")}";
}
