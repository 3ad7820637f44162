using System.Text.Json.Nodes;

namespace V2V.Simulator.Responses;

/// <summary>One step of a streamed response, which the session takes under its gate, and only while the response is open.</summary>
internal abstract record ResponseStep
{
    private ResponseStep()
    {
    }

    /// <summary>Changes of the response's state and the events that tell them, made and sent together.</summary>
    public sealed record Emit(Func<IReadOnlyList<JsonObject>> Apply) : ResponseStep;

    /// <summary>The response was all sent, or fails: the session ends it with this outcome.</summary>
    public sealed record End(ResponseOutcome Outcome) : ResponseStep;
}
