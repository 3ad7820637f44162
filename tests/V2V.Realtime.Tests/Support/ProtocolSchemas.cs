using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using V2V.Realtime.Protocol;

namespace V2V.Realtime.Tests.Support;

/// <summary>
/// The published schemas of both dialects (copied beside the tests from protocol/), their example payloads,
/// and validation of any JSON against the schema of an event.
/// </summary>
internal static class ProtocolSchemas
{
    private static readonly ConcurrentDictionary<(RealtimeDialect, string), JsonSchema> Compiled = new();

    private static readonly JsonDocumentOptions Lenient = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    public static string FileOf(RealtimeDialect dialect) => Path.Combine(AppContext.BaseDirectory, "protocol",
        dialect == RealtimeDialect.GA ? "openai-realtime-ga.schema.json" : "openai-realtime-beta.schema.json");

    public static JsonObject SchemasOf(RealtimeDialect dialect) =>
        JsonNode.Parse(File.ReadAllText(FileOf(dialect)))!["components"]!["schemas"]!.AsObject();

    /// <summary>The name of the schema of the event <paramref name="type"/> for a side (client or server).</summary>
    public static string SchemaNameOf(RealtimeDialect dialect, string type, bool client)
    {
        var prefix = client ? "RealtimeClientEvent" : "RealtimeServerEvent";
        foreach (var (name, schema) in SchemasOf(dialect))
        {
            if (name.StartsWith(prefix, StringComparison.Ordinal) && name != prefix &&
                schema!["properties"]?["type"]?["enum"]?[0]?.GetValue<string>() == type)
            {
                return name;
            }
        }
        throw new KeyNotFoundException($"no {prefix} schema for '{type}' in {dialect}");
    }

    /// <summary>
    /// Every example payload of every event schema: the published examples are JavaScript-flavoured (comments,
    /// trailing commas, several payloads in one example), so they are read leniently and split.
    /// </summary>
    public static IEnumerable<(string SchemaName, bool IsClient, string Json)> Examples(RealtimeDialect dialect)
    {
        foreach (var (name, schema) in SchemasOf(dialect))
        {
            var isClient = name.StartsWith("RealtimeClientEvent", StringComparison.Ordinal);
            if (!isClient && !name.StartsWith("RealtimeServerEvent", StringComparison.Ordinal))
            {
                continue;
            }
            if (schema!["x-oaiMeta"]?["example"]?.GetValue<string>() is not string example)
            {
                continue;
            }
            foreach (var payload in SplitDocuments(example))
            {
                yield return (name, isClient, payload);
            }
        }
    }

    /// <summary>Validates <paramref name="instance"/> against the schema <paramref name="schemaName"/>; returns the errors, empty when valid.</summary>
    public static IReadOnlyList<string> Validate(RealtimeDialect dialect, string schemaName, JsonElement instance)
    {
        var schema = Compiled.GetOrAdd((dialect, schemaName), key => Compile(key.Item1, key.Item2));
        var result = schema.Evaluate(instance, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (result.IsValid)
        {
            return [];
        }
        return [.. (result.Details ?? []).Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation} ({d.SchemaLocation}): {e.Key}: {e.Value}"))];
    }

    /// <summary>Validates the JSON text of an event against the schema of its own type.</summary>
    public static IReadOnlyList<string> ValidateEvent(RealtimeDialect dialect, string json, bool client)
    {
        using var doc = JsonDocument.Parse(json);
        var type = doc.RootElement.GetProperty("type").GetString()!;
        return Validate(dialect, SchemaNameOf(dialect, type, client), doc.RootElement);
    }

    // The file is an OpenAPI components section: its refs point at #/components/schemas and OpenAPI 3.0 says
    // "nullable: true" where JSON Schema says type [.., "null"]. Both are rewritten into a 2020-12 schema.
    // Some settings are documented as "can be set to `null` to turn off" (turn_detection, transcription,
    // noise_reduction) while their type omits null; the documented meaning wins, as the live API accepts it.
    private static JsonSchema Compile(RealtimeDialect dialect, string schemaName)
    {
        var defs = SchemasOf(dialect).DeepClone().AsObject();
        RewriteOpenApi(defs);
        var root = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["$id"] = $"https://v2v.test/{dialect}/{schemaName}",
            ["$defs"] = defs,
            ["$ref"] = $"#/$defs/{schemaName}",
        };
        var text = root.ToJsonString().Replace("#/components/schemas/", "#/$defs/", StringComparison.Ordinal);
        return JsonSchema.FromText(text, new BuildOptions { SchemaRegistry = new SchemaRegistry() });
    }

    private static void RewriteOpenApi(JsonNode? node)
    {
        if (node is JsonObject obj)
        {
            var documentedNull = obj["description"] is JsonValue d && d.TryGetValue<string>(out var text)
                && text.Contains("set to `null`", StringComparison.Ordinal);
            if (obj["nullable"]?.GetValue<bool>() == true || documentedNull)
            {
                obj.Remove("nullable");
                if (obj["type"] is JsonValue t && t.TryGetValue<string>(out var type))
                {
                    obj["type"] = new JsonArray(type, "null");
                }
                else
                {
                    var copy = obj.DeepClone().AsObject();
                    obj.Clear();
                    obj["anyOf"] = new JsonArray(copy, new JsonObject { ["type"] = "null" });
                    return;
                }
            }
            foreach (var (_, child) in obj.ToList())
            {
                RewriteOpenApi(child);
            }
        }
        else if (node is JsonArray array)
        {
            foreach (var child in array)
            {
                RewriteOpenApi(child);
            }
        }
    }

    private static IEnumerable<string> SplitDocuments(string example)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(example);
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, AllowMultipleValues = true });
        var documents = new List<string>();
        while (true)
        {
            JsonElement element;
            try
            {
                if (!reader.Read()) break;
                element = JsonElement.ParseValue(ref reader);
            }
            catch (JsonException)
            {
                break;
            }
            documents.Add(element.GetRawText() is var raw ? JsonNode.Parse(raw, documentOptions: Lenient)!.ToJsonString() : "");
        }
        return documents;
    }
}
