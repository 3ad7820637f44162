using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace V2V.Simulator.Tests.Schema;

/// <summary>
/// Validates server events against the dialect's schema file in protocol/ (copied beside the tests), independently
/// of the server's own loading. The document is registered whole under a base URI and each event is checked
/// against a schema that <c>$ref</c>s its <c>#/components/schemas/RealtimeServerEvent...</c>.
/// Read as JSON Schema 2020-12 plus OpenAPI 3.0's <c>nullable</c>; for beta, the errata listed in
/// <see cref="ApplyBetaErrata"/>, each evidenced by the file's own example payloads.
/// </summary>
internal sealed class ProtocolSchemaValidator
{
    private readonly Dictionary<string, JsonSchema> _byEventType = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JsonSchema> _components = new(StringComparer.Ordinal);
    private readonly Uri _baseUri;
    private readonly BuildOptions _options;

    public ProtocolSchemaValidator(string fileName, bool beta)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Protocol", fileName);
        var document = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        ApplyNullable(document);
        if (beta)
        {
            ApplyBetaErrata(document);
        }
        else
        {
            ApplyGaErrata(document);
        }

        _baseUri = new Uri($"https://tests.v2v.local/{fileName}");
        var registry = new SchemaRegistry();
        registry.Register(_baseUri, new JsonElementBaseDocument(JsonSerializer.SerializeToElement(document), _baseUri));
        _options = new BuildOptions { SchemaRegistry = registry, Dialect = Dialect.Draft202012 };
        foreach (var (name, schema) in document["components"]!["schemas"]!.AsObject())
        {
            if (name.StartsWith("RealtimeServerEvent", StringComparison.Ordinal)
                && schema?["properties"]?["type"]?["enum"] is JsonArray { Count: > 0 } types)
            {
                _byEventType[types[0]!.GetValue<string>()] = Component(name, "event");
            }
        }
    }

    public static ProtocolSchemaValidator Ga { get; } = new("openai-realtime-ga.schema.json", beta: false);

    public static ProtocolSchemaValidator Beta { get; } = new("openai-realtime-beta.schema.json", beta: true);

    public IReadOnlyCollection<string> EventTypes => _byEventType.Keys;

    /// <summary>Problems of one event (empty when valid), each as "location: message".</summary>
    public IReadOnlyList<string> Validate(JsonObject evt)
    {
        var type = evt["type"]?.GetValue<string>() ?? "(no type)";
        if (!_byEventType.TryGetValue(type, out var schema))
        {
            return [$"'{type}' is not a server event of this dialect"];
        }

        return Problems(schema, evt, type);
    }

    /// <summary>Problems of an instance of a component schema (e.g. a REST answer, <c>RealtimeCreateClientSecretResponse</c>), empty when valid.</summary>
    public IReadOnlyList<string> ValidateComponent(string schemaName, JsonNode instance)
    {
        JsonSchema schema;
        lock (_components)
        {
            // Built once per name: a schema is registered under its URI, which may not be taken twice.
            if (!_components.TryGetValue(schemaName, out schema!))
            {
                _components[schemaName] = schema = Component(schemaName, "component");
            }
        }

        return Problems(schema, instance, schemaName);
    }

    private JsonSchema Component(string name, string kind)
    {
        var text = $$"""{"$schema":"https://json-schema.org/draft/2020-12/schema","$ref":"{{_baseUri}}#/components/schemas/{{name}}"}""";
        return JsonSchema.FromText(text, _options, new Uri(_baseUri, $"{kind}/{name}"));
    }

    private static IReadOnlyList<string> Problems(JsonSchema schema, JsonNode instance, string label)
    {
        var results = schema.Evaluate(JsonSerializer.SerializeToElement(instance), new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (results.IsValid)
        {
            return [];
        }

        return (results.Details ?? [])
            .Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{label} {d.InstanceLocation}: {e.Key}: {e.Value}"))
            .DefaultIfEmpty($"{label}: invalid")
            .ToList();
    }

    private static void ApplyNullable(JsonNode? node)
    {
        if (node is JsonArray array)
        {
            foreach (var child in array)
            {
                ApplyNullable(child);
            }
        }

        if (node is not JsonObject obj)
        {
            return;
        }

        foreach (var (_, child) in obj.ToList())
        {
            ApplyNullable(child);
        }

        if (obj["nullable"] is JsonValue v && v.GetValue<bool>())
        {
            var copy = obj.DeepClone().AsObject();
            copy.Remove("nullable");
            obj.Clear();
            obj["anyOf"] = new JsonArray(copy, new JsonObject { ["type"] = "null" });
        }
    }

    /// <summary>
    /// The beta file is stricter than its own examples: session.created's example has
    /// <c>input_audio_transcription: null</c>, session.updated's <c>turn_detection: null</c>; the session's
    /// <c>input_audio_noise_reduction</c> is typed as an object yet its default is null and its description says
    /// "can be set to null to turn off" (the service reports it null when off); response.created's has
    /// status <c>in_progress</c>; output_item.added's has item status <c>in_progress</c>; the file's content_part
    /// schema names assistant audio parts <c>audio</c>; and previous_item_id is null for a first item (the GA file
    /// says so). Everything else is held to the file as written.
    /// </summary>
    private static void ApplyBetaErrata(JsonObject document)
    {
        var s = document["components"]!["schemas"]!.AsObject();
        ResponseWhileUnknown(s);
        Nullable(s["RealtimeSession"]!["properties"]!.AsObject(), "turn_detection", "input_audio_transcription", "input_audio_noise_reduction");
        ((JsonArray)s["RealtimeResponse"]!["properties"]!["status"]!["enum"]!).Add("in_progress");
        ((JsonArray)s["RealtimeConversationItem"]!["properties"]!["status"]!["enum"]!).Add("in_progress");
        ((JsonArray)s["RealtimeConversationItem"]!["properties"]!["content"]!["items"]!["properties"]!["type"]!["enum"]!).Add("audio");
        Nullable(s["RealtimeServerEventConversationItemCreated"]!["properties"]!.AsObject(), "previous_item_id");
        Nullable(s["RealtimeServerEventInputAudioBufferCommitted"]!["properties"]!.AsObject(), "previous_item_id");
    }

    /// <summary>
    /// The GA session examples (session.created and session.updated) have <c>audio.input.transcription: null</c>,
    /// <c>audio.input.noise_reduction: null</c> and <c>include: null</c>, which the response schema types as an
    /// object, an object and an array: those three fields of the realtime session object, and nothing else, may be
    /// null; the response's <c>status_details</c> and <c>usage</c> (see <see cref="ResponseWhileUnknown"/>); and
    /// the <c>param</c> of a failed transcription's error, null in its example.
    /// Everything else is held to the file as written.
    /// </summary>
    private static void ApplyGaErrata(JsonObject document)
    {
        ResponseWhileUnknown(document["components"]!["schemas"]!.AsObject());
        // The example of input_audio_transcription.failed has "param": null, which its schema types as a string.
        Nullable(document["components"]!["schemas"]!["RealtimeServerEventConversationItemInputAudioTranscriptionFailed"]!["properties"]!["error"]!["properties"]!.AsObject(), "param");
        var session = document["components"]!["schemas"]!["RealtimeSessionCreateResponseGA"]!["properties"]!.AsObject();
        Nullable(session, "include");
        Nullable(session["audio"]!["properties"]!["input"]!["properties"]!.AsObject(), "transcription", "noise_reduction");
    }

    /// <summary>
    /// Both files' response.created examples have <c>status_details: null</c> and <c>usage: null</c> (not known yet),
    /// and the response.done examples <c>status_details: null</c> for a completed response, while the response schema
    /// types both as objects: those two fields of the response, and nothing else, may be null.
    /// </summary>
    private static void ResponseWhileUnknown(JsonObject schemas) =>
        Nullable(schemas["RealtimeResponse"]!["properties"]!.AsObject(), "status_details", "usage");

    private static void Nullable(JsonObject properties, params string[] names)
    {
        foreach (var name in names)
        {
            properties[name] = new JsonObject { ["anyOf"] = new JsonArray(properties[name]!.DeepClone(), new JsonObject { ["type"] = "null" }) };
        }
    }
}
