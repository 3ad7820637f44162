using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using RealtimeDialect = V2V.Realtime.Protocol.RealtimeDialect;

namespace V2V.Simulator.Protocol;

/// <summary>
/// One dialect's schema file (embedded from <c>protocol/</c>), read as JSON Schema 2020-12 with the
/// OpenAPI 3.0 <c>nullable</c> keyword honoured, and the few places where the beta file contradicts its
/// own example payloads relaxed (see <see cref="ApplyErrata"/>). Built once per dialect, shared by sessions.
/// </summary>
internal sealed class ProtocolSchemas
{
    private static readonly ConcurrentDictionary<RealtimeDialect, ProtocolSchemas> Cache = new();

    private readonly BuildOptions _buildOptions;
    private readonly Uri _documentUri;
    private readonly ConcurrentDictionary<string, JsonSchema> _built = new(StringComparer.Ordinal);
    private readonly JsonObject _schemas;

    private ProtocolSchemas(DialectProfile profile)
    {
        using var stream = typeof(ProtocolSchemas).Assembly.GetManifestResourceStream(profile.SchemaResource)
            ?? throw new InvalidOperationException($"Embedded schema '{profile.SchemaResource}' is missing.");
        var document = JsonNode.Parse(stream)!.AsObject();
        ApplyNullable(document);
        ApplyOpenStringUnions(document);
        if (profile.Dialect == RealtimeDialect.Beta)
        {
            ApplyErrata(document);
        }
        else
        {
            ApplyGaErrata(document);
        }

        _schemas = document["components"]!["schemas"]!.AsObject();
        _documentUri = new Uri($"https://v2v.local/protocol/{profile.Dialect.ToString().ToLowerInvariant()}.json");
        var registry = new SchemaRegistry();
        var element = JsonSerializer.SerializeToElement(document);
        registry.Register(_documentUri, new JsonElementBaseDocument(element, _documentUri));
        _buildOptions = new BuildOptions { SchemaRegistry = registry, Dialect = Dialect.Draft202012 };

        ClientEventSchemas = IndexByEventType("RealtimeClientEvent");
        // Compiled here, once per dialect and before any session shares the tree (reading it is not thread-safe).
        FlatClientEventSchemas = ClientEventSchemas
            .Select(e => (e.Key, Schema: FlatStringSchema.TryCompile(Raw(e.Value))))
            .Where(e => e.Schema is not null)
            .ToDictionary(e => e.Key, e => e.Schema!, StringComparer.Ordinal);
    }

    /// <summary>Client event type (e.g. <c>session.update</c>) to its schema name.</summary>
    public IReadOnlyDictionary<string, string> ClientEventSchemas { get; }

    /// <summary>The quick checks of the client events whose schema is a flat object of strings (e.g. appends).</summary>
    public IReadOnlyDictionary<string, FlatStringSchema> FlatClientEventSchemas { get; }

    public static ProtocolSchemas For(RealtimeDialect dialect) => Cache.GetOrAdd(dialect, d => new ProtocolSchemas(DialectProfile.For(d)));

    /// <summary>The raw (patched) schema object named <paramref name="name"/> under components/schemas.</summary>
    public JsonObject? Raw(string name) => _schemas[name] as JsonObject;

    /// <summary>
    /// The raw subschema at an absolute schema location of an evaluation result (the document's URI and a pointer
    /// under <c>#/components/schemas/</c>), or null when the location is elsewhere.
    /// </summary>
    public JsonObject? At(Uri schemaLocation)
    {
        const string Prefix = "#/components/schemas/";
        var fragment = Uri.UnescapeDataString(schemaLocation.Fragment);
        if (!fragment.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        JsonNode? node = _schemas;
        foreach (var segment in fragment[Prefix.Length..].Split('/'))
        {
            var name = segment.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            node = node switch
            {
                JsonObject obj => obj[name],
                JsonArray array when int.TryParse(name, out var index) && index < array.Count => array[index],
                _ => null,
            };
        }

        return node as JsonObject;
    }

    /// <summary>A schema that validates an instance against <c>#/components/schemas/{name}</c> of the document.</summary>
    public JsonSchema Get(string name) => _built.GetOrAdd(name, n =>
    {
        var text = $$"""{"$schema":"https://json-schema.org/draft/2020-12/schema","$ref":"{{_documentUri}}#/components/schemas/{{n}}"}""";
        return JsonSchema.FromText(text, _buildOptions, new Uri(_documentUri, $"ref/{n}"));
    });

    private Dictionary<string, string> IndexByEventType(string prefix)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, schema) in _schemas)
        {
            if (name.StartsWith(prefix, StringComparison.Ordinal)
                && schema?["properties"]?["type"]?["enum"] is JsonArray { Count: > 0 } types
                && types[0]?.GetValue<string>() is { } type)
            {
                map[type] = name;
            }
        }

        return map;
    }

    /// <summary>
    /// "A string, or one of these strings" (a response's <c>conversation</c>: any string or <c>auto</c>/<c>none</c>) is
    /// written as a <c>oneOf</c> of the two, which every listed value matches twice and so fails: it is an <c>anyOf</c>.
    /// </summary>
    internal static void ApplyOpenStringUnions(JsonNode? node) => VisitObjectsBottomUp(node, obj =>
    {
        if (obj["oneOf"] is JsonArray branches
            && branches.Any(b => b is JsonObject { Count: 1 } plain && plain["type"]?.GetValue<string>() == "string")
            && branches.All(b => b?["type"] is JsonValue t && t.GetValue<string>() == "string"))
        {
            obj["anyOf"] = branches.DeepClone();
            obj.Remove("oneOf");
        }
    });

    /// <summary>OpenAPI 3.0 <c>nullable: true</c> means "or null"; JSON Schema needs it said with <c>anyOf</c>.</summary>
    internal static void ApplyNullable(JsonNode? node) => VisitObjectsBottomUp(node, obj =>
    {
        if (obj["nullable"] is JsonValue v && v.TryGetValue<bool>(out var nullable) && nullable)
        {
            var copy = obj.DeepClone().AsObject();
            copy.Remove("nullable");
            obj.Clear();
            obj["anyOf"] = new JsonArray(copy, new JsonObject { ["type"] = "null" });
        }
    });

    /// <summary>Every object of the tree, its children before it (so that a rewrite of one sees its children rewritten).</summary>
    private static void VisitObjectsBottomUp(JsonNode? node, Action<JsonObject> visit)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (_, child) in obj.ToList())
                {
                    VisitObjectsBottomUp(child, visit);
                }

                visit(obj);
                break;
            case JsonArray array:
                foreach (var child in array)
                {
                    VisitObjectsBottomUp(child, visit);
                }

                break;
        }
    }

    /// <summary>
    /// The beta file (converted from OpenAPI 3.0) is stricter than the protocol it describes. Each relaxation
    /// here is evidenced by an example payload of the same file or by the GA file:
    /// the session's <c>turn_detection</c> and <c>input_audio_transcription</c> are null when off (examples of
    /// session.created/updated; also how a client turns VAD off); a response in progress has status
    /// <c>in_progress</c> (example of response.created) and so has an item being generated (example of
    /// response.output_item.added); an assistant audio part has content type <c>audio</c> (the file's own
    /// content_part schema); <c>previous_item_id</c> is null for the first item (GA file: "Can be null if the
    /// item has no predecessor").
    /// </summary>
    internal static void ApplyErrata(JsonObject document)
    {
        var s = document["components"]!["schemas"]!.AsObject();
        foreach (var name in new[] { "RealtimeSession", "RealtimeSessionCreateRequest", "RealtimeSessionCreateResponse" })
        {
            if (s[name]?["properties"] is JsonObject props)
            {
                MakeNullable(props, "turn_detection");
                MakeNullable(props, "input_audio_transcription");
                MakeNullable(props, "input_audio_noise_reduction");
            }
        }

        AddEnum(s["RealtimeResponse"]?["properties"]?["status"], "in_progress");
        AddEnum(s["RealtimeConversationItem"]?["properties"]?["status"], "in_progress");
        AddEnum(s["RealtimeConversationItem"]?["properties"]?["content"]?["items"]?["properties"]?["type"], "audio");
        foreach (var name in new[] { "RealtimeServerEventConversationItemCreated", "RealtimeServerEventInputAudioBufferCommitted" })
        {
            if (s[name]?["properties"] is JsonObject props)
            {
                MakeNullable(props, "previous_item_id");
            }
        }
    }

    /// <summary>
    /// The GA request schema types <c>audio.input.transcription</c> and <c>noise_reduction</c> as objects, yet
    /// OpenAI documents null as the way to turn them off (and the latter's default is null).
    /// </summary>
    internal static void ApplyGaErrata(JsonObject document)
    {
        if (document["components"]?["schemas"]?["RealtimeSessionCreateRequestGA"]?["properties"]?["audio"]?["properties"]?["input"]?["properties"] is JsonObject input)
        {
            MakeNullable(input, "transcription");
            MakeNullable(input, "noise_reduction");
        }
    }

    private static void MakeNullable(JsonObject properties, string name)
    {
        if (properties[name] is JsonObject schema)
        {
            properties[name] = new JsonObject { ["anyOf"] = new JsonArray(schema.DeepClone(), new JsonObject { ["type"] = "null" }) };
        }
    }

    private static void AddEnum(JsonNode? schema, string value)
    {
        if (schema?["enum"] is JsonArray values && !values.Any(v => v?.GetValue<string>() == value))
        {
            values.Add(value);
        }
    }
}
