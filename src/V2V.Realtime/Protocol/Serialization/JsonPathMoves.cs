using System.Text.Json.Nodes;

namespace V2V.Realtime.Protocol.Serialization;

/// <summary>
/// One field that lives at different places in the two dialects, e.g. beta <c>voice</c> and GA
/// <c>audio.output.voice</c>, with the value mapping each way (e.g. <c>"pcm16"</c> and <c>{"type":"audio/pcm"}</c>).
/// </summary>
internal sealed record JsonPathMove(string BetaPath, string GaPath, Func<JsonNode?, JsonNode?>? ToGa = null, Func<JsonNode?, JsonNode?>? ToBeta = null)
{
    /// <summary>Moves the value from its beta place to its GA place, if present.</summary>
    public void ApplyToGa(JsonObject root) => Move(root, BetaPath, GaPath, ToGa);

    /// <summary>Moves the value from its GA place to its beta place, if present, and drops objects left empty.</summary>
    public void ApplyToBeta(JsonObject root)
    {
        Move(root, GaPath, BetaPath, ToBeta);
        PruneEmptyParents(root, GaPath);
    }

    private static void Move(JsonObject root, string from, string to, Func<JsonNode?, JsonNode?>? map)
    {
        var (fromParent, fromKey) = Locate(root, from, create: false);
        if (fromParent is null || !fromParent.TryGetPropertyValue(fromKey, out var value))
        {
            return;
        }
        fromParent.Remove(fromKey);
        var (toParent, toKey) = Locate(root, to, create: true);
        toParent![toKey] = map is null ? value : map(value);
    }

    private static (JsonObject? Parent, string Key) Locate(JsonObject root, string path, bool create)
    {
        var parts = path.Split('.');
        var current = root;
        for (var i = 0; i < parts.Length - 1; i++)
        {
            if (current[parts[i]] is JsonObject next)
            {
                current = next;
            }
            else if (create)
            {
                next = [];
                current[parts[i]] = next;
                current = next;
            }
            else
            {
                return (null, parts[^1]);
            }
        }
        return (current, parts[^1]);
    }

    private static void PruneEmptyParents(JsonObject root, string path)
    {
        var parts = path.Split('.');
        for (var depth = parts.Length - 1; depth > 0; depth--)
        {
            var (parent, key) = Locate(root, string.Join('.', parts[..depth]), create: false);
            if (parent?[key] is JsonObject { Count: 0 })
            {
                parent.Remove(key);
            }
        }
    }
}
