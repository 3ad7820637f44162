using System.Text.Json;
using System.Text.Json.Nodes;

namespace V2V.Ten;

/// <summary>
/// An extension's manifest.json in TEN's format: type, name, version, and the <c>api</c>: the property schema
/// (<c>api.property</c>, either a map of name to <c>{"type": ...}</c> or <c>{"properties": {...}, "required": [...]}</c>)
/// and the messages it takes and gives (<c>cmd_in</c>, <c>cmd_out</c>, <c>data_in</c>, <c>data_out</c>,
/// <c>audio_frame_in</c>, <c>audio_frame_out</c>).
/// </summary>
public sealed class TenManifest
{
    private TenManifest(JsonObject root, string name, IReadOnlyDictionary<string, string> propertyTypes, IReadOnlyList<string> required)
    {
        Root = root;
        Name = name;
        PropertyTypes = propertyTypes;
        RequiredProperties = required;
    }

    /// <summary>The whole manifest.</summary>
    public JsonObject Root { get; }

    /// <summary>The addon name.</summary>
    public string Name { get; }

    /// <summary>Each declared property and its TEN type (<c>string</c>, <c>bool</c>, <c>int64</c>, <c>float64</c>, <c>object</c>, <c>array</c>, ...).</summary>
    public IReadOnlyDictionary<string, string> PropertyTypes { get; }

    /// <summary>The properties that must be set.</summary>
    public IReadOnlyList<string> RequiredProperties { get; }

    /// <summary>The names of the messages of one kind, e.g. <c>cmd_in</c>.</summary>
    public IEnumerable<string> MessageNames(string kind) =>
        (Root["api"]?[kind] as JsonArray ?? []).Select(m => m?["name"]?.GetValue<string>()).OfType<string>();

    /// <summary>Reads a manifest, with errors that say what is wrong where.</summary>
    public static TenManifest Parse(string json, string source = "manifest.json")
    {
        JsonObject root;
        try
        {
            root = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }) as JsonObject
                ?? throw new TenManifestException($"{source}: the manifest must be a JSON object.");
        }
        catch (JsonException ex)
        {
            throw new TenManifestException($"{source}: not valid JSON: {ex.Message}");
        }
        var name = root["name"]?.GetValue<string>() ?? throw new TenManifestException($"{source}: \"name\" is missing.");
        var property = root["api"]?["property"] as JsonObject ?? [];
        // Newer TEN manifests nest the map under "properties" next to "required"; older ones are the map itself.
        var map = property["properties"] as JsonObject ?? property;
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (prop, schema) in map)
        {
            types[prop] = schema?["type"]?.GetValue<string>() ?? throw new TenManifestException($"{source}: property '{prop}' has no \"type\".");
        }
        var required = (property["required"] as JsonArray ?? []).Select(r => r!.GetValue<string>()).ToList();
        return new TenManifest(root, name, types, required);
    }
}

/// <summary>A manifest or graph file is not as TEN expects; the message says what and where.</summary>
public sealed class TenManifestException(string message) : Exception(message);
