using System.Text.Json;
using System.Text.Json.Nodes;

namespace V2V.Simulator.Tests.Schema;

/// <summary>
/// The example payload of each server event in a schema file (<c>x-oaiMeta.example</c>): what the service really
/// sends, with every field, where the schema lets fields be absent.
/// </summary>
internal sealed class DocumentedExamples
{
    private readonly Dictionary<string, JsonObject> _byEventType = new(StringComparer.Ordinal);

    private DocumentedExamples(string fileName)
    {
        var document = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Protocol", fileName)))!;
        foreach (var (name, schema) in document["components"]!["schemas"]!.AsObject())
        {
            if (name.StartsWith("RealtimeServerEvent", StringComparison.Ordinal)
                && schema?["properties"]?["type"]?["enum"] is JsonArray { Count: > 0 } types
                && schema["x-oaiMeta"]?["example"]?.GetValue<string>() is { } example
                && Parse(example) is { } parsed)
            {
                _byEventType[types[0]!.GetValue<string>()] = parsed;
            }
        }
    }

    /// <summary>The examples are written for people: trailing commas, comments; one that is not JSON at all is left out.</summary>
    private static JsonObject? Parse(string example)
    {
        try
        {
            return JsonNode.Parse(example, documentOptions: new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip }) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static DocumentedExamples Ga { get; } = new("openai-realtime-ga.schema.json");

    public static DocumentedExamples Beta { get; } = new("openai-realtime-beta.schema.json");

    /// <summary>
    /// The example's fields that <paramref name="evt"/> lacks, as dotted paths. Descends where both sides are objects
    /// of the same kind (same <c>type</c>, when both have one), and into the first element of arrays of objects.
    /// </summary>
    public IEnumerable<string> MissingFields(JsonObject evt)
    {
        var type = evt["type"]!.GetValue<string>();
        return _byEventType.TryGetValue(type, out var example) ? Missing(example, evt, type) : [];
    }

    /// <summary>Fields whose content is the client's own (its tools, their JSON schemas, its metadata): not compared.</summary>
    private static readonly HashSet<string> ClientData = new(StringComparer.Ordinal) { "tools", "parameters", "metadata" };

    private static IEnumerable<string> Missing(JsonObject example, JsonObject actual, string path)
    {
        if (example["type"] is JsonValue exampleType && actual["type"] is JsonValue actualType
            && exampleType.ToJsonString() != actualType.ToJsonString())
        {
            yield break; // e.g. a function_call item against the example's message: not the same kind of thing
        }

        foreach (var (name, value) in example)
        {
            if (!actual.TryGetPropertyValue(name, out var actualValue))
            {
                yield return $"{path}.{name}";
            }
            else if (ClientData.Contains(name))
            {
                continue;
            }
            else if (value is JsonObject e && actualValue is JsonObject a)
            {
                foreach (var missing in Missing(e, a, $"{path}.{name}"))
                {
                    yield return missing;
                }
            }
            else if (value is JsonArray { Count: > 0 } ea && ea[0] is JsonObject firstExample && actualValue is JsonArray aa)
            {
                foreach (var element in aa.OfType<JsonObject>())
                {
                    foreach (var missing in Missing(firstExample, element, $"{path}.{name}[]"))
                    {
                        yield return missing;
                    }
                }
            }
        }
    }
}
