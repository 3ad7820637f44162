using System.Text.Json.Nodes;

namespace V2V.Graph.BuiltIns.Storage;

/// <summary>
/// The <c>response</c> property of an OK <c>retrieve</c> result, as TEN's storage extension writes it and
/// <c>openai_v2v</c> reads it: a JSON string of a list, oldest first, of <c>{"role", "input", "stream_id"}</c>.
/// </summary>
internal static class RetrieveResponse
{
    public static string Json(IReadOnlyList<StoredTurn> turns)
    {
        var list = new JsonArray();
        foreach (var turn in turns)
        {
            list.Add(new JsonObject { ["role"] = turn.Role, ["input"] = turn.Input, ["stream_id"] = turn.StreamId });
        }
        return list.ToJsonString();
    }
}
