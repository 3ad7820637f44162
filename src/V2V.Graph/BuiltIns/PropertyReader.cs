using System.Text.Json.Nodes;
using V2V.Ten;

namespace V2V.Graph.BuiltIns;

/// <summary>Reads resolved properties (already type-checked by the manifest) and checks ranges, naming the property.</summary>
internal static class PropertyReader
{
    public static string String(ITenEnv env, string name) =>
        env.Properties[name]?.GetValue<string>() ?? throw new TenPropertyException(name, $"{env.Name}: property '{name}' is required.");

    public static bool Bool(ITenEnv env, string name, bool fallback) =>
        env.Properties[name] is JsonValue value && value.TryGetValue<bool>(out var b) ? b : fallback;

    public static long Int64(ITenEnv env, string name, long fallback, long min = long.MinValue, long max = long.MaxValue)
    {
        var number = env.Properties[name] switch
        {
            JsonValue v when v.TryGetValue<long>(out var l) => l,
            JsonValue v when v.TryGetValue<int>(out var i) => i,
            null => fallback,
            var other => throw new TenPropertyException(name, $"{env.Name}: property '{name}' must be an integer, got {other.ToJsonString()}."),
        };
        if (number < min || number > max)
        {
            throw new TenPropertyException(name, $"{env.Name}: property '{name}' must be between {min} and {max}, got {number}.");
        }
        return number;
    }
}
