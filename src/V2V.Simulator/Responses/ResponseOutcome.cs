using System.Text.Json.Nodes;

namespace V2V.Simulator.Responses;

/// <summary>How a response ends: the status of its <c>response.done</c> and the <c>status_details</c> that say why.</summary>
internal sealed record ResponseOutcome(string Status, JsonObject? Details)
{
    public static ResponseOutcome Completed() => new("completed", null);

    /// <summary>Cancelled by the client (<c>client_cancelled</c>) or by the user speaking over it (<c>turn_detected</c>).</summary>
    public static ResponseOutcome Cancelled(string reason) => new("cancelled", new JsonObject { ["type"] = "cancelled", ["reason"] = reason });

    /// <summary>Failed with one of <see cref="ResponseFailure.Codes"/>, as the service fails a response it could not produce.</summary>
    public static ResponseOutcome Failed(string code) => new("failed", ResponseFailure.StatusDetails(code));
}
