using System.Text.Json.Nodes;

namespace V2V.Simulator.Protocol;

/// <summary>The <c>error</c> object of an <c>error</c> server event, worded as OpenAI words it.</summary>
internal sealed record RealtimeError(string Type, string? Code, string Message, string? Param, string? EventId)
{
    public static RealtimeError Invalid(string? code, string message, string? param, string? eventId) =>
        new("invalid_request_error", code, message, param, eventId);

    public JsonObject ToEvent() => new()
    {
        ["type"] = "error",
        ["error"] = new JsonObject
        {
            ["type"] = Type,
            ["code"] = Code,
            ["message"] = Message,
            ["param"] = Param,
            ["event_id"] = EventId,
        },
    };
}
