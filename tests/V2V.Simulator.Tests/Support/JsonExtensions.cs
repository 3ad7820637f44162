using System.Text.Json.Nodes;

namespace V2V.Simulator.Tests.Support;

internal static class JsonExtensions
{
    public static string Type(this JsonObject evt) => evt["type"]!.GetValue<string>();

    public static string Str(this JsonNode node, string name) => node[name]!.GetValue<string>();

    public static int Int(this JsonNode node, string name) => node[name]!.GetValue<int>();

    public static IEnumerable<JsonObject> OfType(this IEnumerable<JsonObject> events, string type) => events.Where(e => e.Type() == type);

    /// <summary>Total bytes of the base64 audio deltas among <paramref name="events"/>.</summary>
    public static int AudioBytes(this IEnumerable<JsonObject> events, string deltaType) =>
        events.OfType(deltaType).Sum(e => Convert.FromBase64String(e.Str("delta")).Length);
}
