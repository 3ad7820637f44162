using System.Text.Json.Nodes;
using V2V.Simulator.Protocol;

namespace V2V.Simulator.Session;

/// <summary>What a client event is answered with: the events to send, in order, or the error that refused it (and changed nothing).</summary>
internal sealed record Reply(IReadOnlyList<JsonObject> Events, RealtimeError? Error = null)
{
    public static Reply Refused(RealtimeError error) => new([], error);
}
