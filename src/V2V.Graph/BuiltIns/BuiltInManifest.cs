using System.Text.Json.Nodes;
using V2V.Ten;

namespace V2V.Graph.BuiltIns;

/// <summary>
/// Writes a built-in's manifest.json as TEN would have it on disk, then reads it with <see cref="TenManifest.Parse"/>:
/// one path for built-ins and file-based addons, and the manifest stays readable as the extension's API.
/// </summary>
internal static class BuiltInManifest
{
    public static TenManifest Create(
        string name,
        IReadOnlyDictionary<string, string> properties,
        IReadOnlyList<string>? required = null,
        IReadOnlyList<string>? cmdIn = null,
        IReadOnlyList<string>? cmdOut = null,
        IReadOnlyList<string>? dataIn = null,
        IReadOnlyList<string>? dataOut = null,
        IReadOnlyList<string>? audioFrameIn = null,
        IReadOnlyList<string>? audioFrameOut = null)
    {
        var propertySchema = new JsonObject();
        foreach (var (property, type) in properties)
        {
            propertySchema[property] = new JsonObject { ["type"] = type };
        }
        var api = new JsonObject
        {
            ["property"] = new JsonObject
            {
                ["properties"] = propertySchema,
                ["required"] = new JsonArray([.. (required ?? []).Select(r => (JsonNode?)JsonValue.Create(r))]),
            },
        };
        AddMessages(api, "cmd_in", cmdIn);
        AddMessages(api, "cmd_out", cmdOut);
        AddMessages(api, "data_in", dataIn);
        AddMessages(api, "data_out", dataOut);
        AddMessages(api, "audio_frame_in", audioFrameIn);
        AddMessages(api, "audio_frame_out", audioFrameOut);
        var manifest = new JsonObject
        {
            ["type"] = "extension",
            ["name"] = name,
            ["version"] = "0.1.0",
            ["api"] = api,
        };
        return TenManifest.Parse(manifest.ToJsonString(), $"{name}/manifest.json");
    }

    /// <summary>Reads property.json text; parsed values read back as any numeric type, as graph-file values do.</summary>
    public static JsonObject Defaults(string json) => (JsonObject)JsonNode.Parse(json)!;

    private static void AddMessages(JsonObject api, string key, IReadOnlyList<string>? names)
    {
        if (names is { Count: > 0 })
        {
            api[key] = new JsonArray([.. names.Select(n => (JsonNode?)new JsonObject { ["name"] = n })]);
        }
    }
}
