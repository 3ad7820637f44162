using System.Text.Json.Nodes;

namespace V2V.Realtime.Tests.Support;

/// <summary>
/// JSON equality for round trips: property order does not matter, and a property whose value is null equals
/// a property left out. The protocol reads both the same way on every field except the three settings that
/// are switched off with null (turn detection, transcription, noise reduction), and those the model keeps.
/// </summary>
internal static class JsonEquivalence
{
    public static bool AreEquivalent(string expected, string actual, out string normalizedExpected, out string normalizedActual)
    {
        var e = Normalize(JsonNode.Parse(expected), keepNull: false);
        var a = Normalize(JsonNode.Parse(actual), keepNull: false);
        normalizedExpected = e?.ToJsonString() ?? "null";
        normalizedActual = a?.ToJsonString() ?? "null";
        return JsonNode.DeepEquals(e, a);
    }

    private static readonly HashSet<string> MeaningfulNulls = ["turn_detection", "transcription", "noise_reduction", "input_audio_transcription", "input_audio_noise_reduction"];

    private static JsonNode? Normalize(JsonNode? node, bool keepNull)
    {
        switch (node)
        {
            case JsonObject obj:
                var result = new JsonObject();
                foreach (var (key, value) in obj.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    if (value is null && !MeaningfulNulls.Contains(key))
                    {
                        continue;
                    }
                    result[key] = Normalize(value, keepNull);
                }
                return result;
            case JsonArray array:
                return new JsonArray([.. array.Select(item => Normalize(item, keepNull))]);
            default:
                return node?.DeepClone();
        }
    }
}
