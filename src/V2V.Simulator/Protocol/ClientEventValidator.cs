using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Json.Schema;

namespace V2V.Simulator.Protocol;

/// <summary>
/// Checks a client event against its schema in the dialect's file and words the first problem as OpenAI
/// does: <c>invalid_request_error</c> with the offending param as a dotted path (e.g.
/// <c>session.audio.input.turn_detection.threshold</c>) and the client's <c>event_id</c>.
/// </summary>
internal sealed partial class ClientEventValidator(ProtocolSchemas schemas)
{
    private static readonly EvaluationOptions Options = new() { OutputFormat = OutputFormat.List };

    /// <summary>Returns null when the event is valid, else the error to send.</summary>
    /// <remarks>
    /// The schemas are shared by every session of the process, and neither the JSON tree (whose nodes materialize
    /// on first read) nor the schema library's lazily resolved references may be used from two threads at once:
    /// under load, concurrent first uses made sound events fail as server errors. One validation at a time.
    /// </remarks>
    public RealtimeError? Validate(string type, JsonElement root, string? eventId)
    {
        if (schemas.FlatClientEventSchemas.TryGetValue(type, out var flat) && flat.Accepts(root))
        {
            return null;
        }

        lock (schemas)
        {
            return ValidateUnderLock(type, root, eventId);
        }
    }

    /// <summary>
    /// Checks the JSON body of a REST request against its schema (e.g. <c>RealtimeCreateClientSecretRequest</c>) as
    /// strictly as an event is checked, params named from the body's root. Null when valid.
    /// </summary>
    public RealtimeError? ValidateBody(string schemaName, JsonElement body)
    {
        lock (schemas)
        {
            return Check(schemaName, body, eventId: null);
        }
    }

    private RealtimeError? ValidateUnderLock(string type, JsonElement root, string? eventId)
    {
        if (!schemas.ClientEventSchemas.TryGetValue(type, out var schemaName))
        {
            return RealtimeError.Invalid(
                "invalid_value",
                $"Invalid value: '{type}'. Supported values are: {string.Join(", ", schemas.ClientEventSchemas.Keys.Select(k => $"'{k}'"))}.",
                "type",
                eventId);
        }

        return Check(schemaName, root, eventId);
    }

    private RealtimeError? Check(string schemaName, JsonElement root, string? eventId)
    {
        if (FindUnknownParameter(schemas.Raw(schemaName), root, prefix: null) is { } unknown)
        {
            return RealtimeError.Invalid("unknown_parameter", $"Unknown parameter: '{unknown}'.", unknown, eventId);
        }

        var results = schemas.Get(schemaName).Evaluate(root, Options);
        return results.IsValid ? null : ToError(results, root, eventId);
    }

    private RealtimeError ToError(EvaluationResults results, JsonElement root, string? eventId)
    {
        // Under oneOf/anyOf every branch reports; the deepest location is the one the client got wrong, leaving out
        // what only says another branch was not taken (see IsOtherBranch) unless nothing else is wrong.
        var failures = (results.Details ?? []).Where(d => d.Errors is { Count: > 0 }).ToList();
        var relevant = failures.Where(d => !IsOtherBranch(d)).ToList();
        var best = (relevant.Count > 0 ? relevant : failures).OrderByDescending(d => Segments(d).Count).FirstOrDefault();
        if (best is null)
        {
            return RealtimeError.Invalid("invalid_value", "The event does not match the schema of its type.", null, eventId);
        }

        var segments = Segments(best);
        var (keyword, message) = best.Errors!.First();
        if (keyword == "required")
        {
            var missing = QuotedName().Match(message) is { Success: true } m ? m.Groups[1].Value : "?";
            var param = Join(segments.Append(missing));
            return RealtimeError.Invalid("missing_required_parameter", $"Missing required parameter: '{param}'.", param, eventId);
        }

        var path = segments.Count == 0 ? null : Join(segments);
        if (keyword is "minimum" or "maximum" && path is not null && best.InstanceLocation.Evaluate(root) is { } value
            && SchemaRangeError.From(schemas.At(best.SchemaLocation), value, path) is { } outOfRange)
        {
            return outOfRange.ToError(eventId);
        }

        var code = keyword == "type" ? "invalid_type" : "invalid_value";
        return RealtimeError.Invalid(code, $"Invalid value for '{path ?? "event"}': {message}", path, eventId);
    }

    /// <summary>
    /// A failure that only says the instance took another branch of a union: a <c>type</c> discriminator that is
    /// not this branch's (<c>server_vad</c> checked against <c>semantic_vad</c>), or a value that is not the
    /// <c>null</c> of a nullable field's other branch.
    /// </summary>
    private bool IsOtherBranch(EvaluationResults detail)
    {
        var keyword = detail.Errors!.First().Key;
        if (keyword is "const" or "enum")
        {
            return Segments(detail) is [.., "type"];
        }

        return keyword == "type" && schemas.At(detail.SchemaLocation)?["type"] is JsonValue type
            && type.TryGetValue<string>(out var name) && name == "null";
    }

    private static List<string> Segments(EvaluationResults detail) =>
        detail.InstanceLocation.ToString()
            .Split('/', StringSplitOptions.RemoveEmptyEntries)
            .Select(s => s.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal))
            .ToList();

    private static string Join(IEnumerable<string> segments) =>
        string.Join('.', segments.Select(s => s.All(char.IsAsciiDigit) ? $"[{s}]" : s)).Replace(".[", "[", StringComparison.Ordinal);

    /// <summary>
    /// The schemas do not forbid extra properties, but OpenAI rejects them ("Unknown parameter"). Walks the
    /// instance where the schema says which properties exist, into the elements of arrays; through oneOf/anyOf only
    /// when the instance's <c>type</c> (and, among branches of one type, their fixed values such as a role) picks exactly
    /// one branch.
    /// </summary>
    private string? FindUnknownParameter(JsonObject? schema, JsonElement instance, string? prefix)
    {
        schema = Resolve(schema);
        if (schema is not null && instance.ValueKind == JsonValueKind.Array && schema["items"] is JsonObject items)
        {
            // A message's content parts, a session's tools: each element is walked on its own.
            var index = 0;
            foreach (var element in instance.EnumerateArray())
            {
                if (FindUnknownParameter(items, element, $"{prefix}[{index++}]") is { } inElement)
                {
                    return inElement;
                }
            }
            return null;
        }

        if (schema is null || instance.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        if (schema["properties"] is not JsonObject properties)
        {
            var branch = PickBranch(schema, instance);
            return branch is null ? null : FindUnknownParameter(branch, instance, prefix);
        }

        foreach (var property in instance.EnumerateObject())
        {
            var path = prefix is null ? property.Name : $"{prefix}.{property.Name}";
            if (!properties.ContainsKey(property.Name))
            {
                return path;
            }

            if (FindUnknownParameter(properties[property.Name] as JsonObject, property.Value, path) is { } nested)
            {
                return nested;
            }
        }

        return null;
    }

    private JsonObject? PickBranch(JsonObject schema, JsonElement instance)
    {
        if (!instance.TryGetProperty("type", out var typeElement) || typeElement.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        var matches = Branches(schema).Where(b => Allows(b, "type", typeElement)).ToList();
        if (matches.Count > 1)
        {
            // GA's three message items share type "message" and differ by a fixed role: the instance's own values of the
            // branches' fixed properties pick among them.
            matches = matches.Where(b => b["properties"] is JsonObject properties && properties
                .Where(p => p.Key != "type" && p.Value is JsonObject fixedValue && (fixedValue["const"] is not null || fixedValue["x-stainless-const"] is not null))
                .All(p => !instance.TryGetProperty(p.Key, out var value) || Allows(b, p.Key, value))).ToList();
        }
        return matches.Count == 1 ? matches[0] : null;
    }

    /// <summary>Whether <paramref name="branch"/>'s property <paramref name="name"/> (a const or an enum of strings) allows <paramref name="value"/>.</summary>
    private static bool Allows(JsonObject branch, string name, JsonElement value) =>
        value.ValueKind == JsonValueKind.String && value.GetString() is var text
        && branch["properties"]?[name] is JsonObject property
        && ((property["const"] is JsonValue c && c.GetValue<string>() == text)
            || (property["enum"] is JsonArray e && e.Any(v => v?.GetValue<string>() == text)));

    /// <summary>
    /// The object branches of a union, through nested unions: GA's turn_detection is "anyOf [oneOf [server_vad,
    /// semantic_vad], null]", and its <c>type</c> picks a branch of the inner one.
    /// </summary>
    private IEnumerable<JsonObject> Branches(JsonObject schema, int depth = 0)
    {
        if ((schema["oneOf"] ?? schema["anyOf"]) is not JsonArray branches || depth > 4)
        {
            yield break;
        }

        foreach (var branch in branches.Select(b => Resolve(b as JsonObject)).OfType<JsonObject>())
        {
            if (branch["properties"] is not null)
            {
                yield return branch;
                continue;
            }

            foreach (var nested in Branches(branch, depth + 1))
            {
                yield return nested;
            }
        }
    }

    private JsonObject? Resolve(JsonObject? schema)
    {
        for (var hops = 0; hops < 8 && schema?["$ref"] is JsonValue reference; hops++)
        {
            var name = reference.GetValue<string>().Split('/')[^1];
            schema = schemas.Raw(name);
        }

        return schema;
    }

    [GeneratedRegex("\"([^\"]+)\"")]
    private static partial Regex QuotedName();
}
