using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace V2V.Ten;

/// <summary>
/// Resolves and checks an extension's properties as TEN does: property.json defaults overlaid by the graph
/// node's properties, <c>${env:NAME}</c> and <c>${env:NAME|default}</c> replaced (the default may itself be such a
/// reference: <c>${env:A|${env:B|}}</c> reads A, else B, else nothing; an unset variable with no default leaves the
/// property unset, as TEN's runtime makes it null), then every declared value checked against the
/// manifest's type. A property the manifest does not declare is kept unchecked, as TEN keeps it: the extension
/// says whether it knows it (see <see cref="Undeclared"/>). Errors name the property and say what was expected.
/// </summary>
public static partial class TenProperties
{
    [GeneratedRegex(@"^\$\{env:([A-Za-z_][A-Za-z0-9_]*)(\|(.*))?\}$", RegexOptions.Singleline)]
    private static partial Regex EnvReference();

    /// <summary>Merges, resolves and validates. <paramref name="environment"/> defaults to the process environment.</summary>
    public static JsonObject Resolve(TenManifest manifest, JsonObject? defaults, JsonObject? overrides, Func<string, string?>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        environment ??= Environment.GetEnvironmentVariable;
        var merged = new JsonObject();
        foreach (var source in new[] { defaults, overrides })
        {
            foreach (var (name, value) in source ?? [])
            {
                merged[name] = value?.DeepClone();
            }
        }
        var result = new JsonObject();
        var unsetVariables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in merged)
        {
            // An undeclared property has no type to check it against: it is kept as given (TEN tolerates it).
            var substituted = Substitute(name, value, environment, unsetVariables);
            var resolved = manifest.PropertyTypes.TryGetValue(name, out var type) ? Check(manifest.Name, name, type, substituted) : substituted;
            // A value that passes unchanged still belongs to 'merged': a JsonNode has one parent, so it is copied.
            result[name] = resolved?.Parent is null ? resolved : resolved.DeepClone();
        }
        foreach (var name in manifest.RequiredProperties)
        {
            if (result[name] is null)
            {
                var why = unsetVariables.TryGetValue(name, out var variable)
                    ? $" It refers to the environment variable {variable}, which is not set. Set it, or give a default: ${{env:{variable}|default}}."
                    : "";
                throw new TenPropertyException(name, $"{manifest.Name}: property '{name}' is required.{why}");
            }
        }
        return result;
    }

    /// <summary>The properties in <paramref name="properties"/> that <paramref name="manifest"/> does not declare, sorted: for a warning that names them.</summary>
    public static IReadOnlyList<string> Undeclared(TenManifest manifest, JsonObject properties)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(properties);
        return [.. properties.Select(p => p.Key).Where(name => !manifest.PropertyTypes.ContainsKey(name)).Order(StringComparer.Ordinal)];
    }

    private static JsonNode? Substitute(string name, JsonNode? value, Func<string, string?> environment, Dictionary<string, string> unsetVariables)
    {
        // References inside an object or an array are resolved too (a list of servers, each with its own token); an
        // unset one there becomes null, as at the top.
        switch (value)
        {
            case JsonObject obj:
                foreach (var key in obj.Select(p => p.Key).ToList())
                {
                    obj[key] = Detached(Substitute(name, obj[key], environment, unsetVariables));
                }
                return obj;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    array[i] = Detached(Substitute(name, array[i], environment, unsetVariables));
                }
                return array;
        }
        if (value is not JsonValue v || !v.TryGetValue<string>(out var text))
        {
            return value;
        }
        var match = EnvReference().Match(text);
        if (!match.Success)
        {
            return value;
        }
        var variable = match.Groups[1].Value;
        var resolved = environment(variable);
        if (resolved is null)
        {
            if (!match.Groups[2].Success)
            {
                // TEN's runtime resolves it to null: the property counts as not set (the extension's default, or its
                // own error, applies). Remembered so that a required property can say which variable was missing.
                unsetVariables[name] = variable;
                return null;
            }
            // The default may be a reference too: the next variable is read when this one is not set.
            return Substitute(name, JsonValue.Create(match.Groups[3].Value), environment, unsetVariables);
        }
        return JsonValue.Create(resolved);
    }

    // A node put back where it came from must have no parent of its own (an unchanged one is still the one there).
    private static JsonNode? Detached(JsonNode? node) => node?.Parent is null ? node : node.DeepClone();

    // A value from the environment is always text; it is read as the declared type (an object or an array as JSON text).
    // Anything else must already be of it.
    private static JsonNode? Check(string addon, string name, string type, JsonNode? value)
    {
        if (value is null)
        {
            return null;
        }
        var kind = value.GetValueKind();
        var text = value is JsonValue sv && sv.TryGetValue<string>(out var s) ? s : null;
        switch (type)
        {
            case "string":
                return kind == System.Text.Json.JsonValueKind.String ? value : throw Expected(addon, name, "a string", value);
            case "bool":
                if (kind is System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False) return value;
                if (bool.TryParse(text, out var b)) return JsonValue.Create(b);
                throw Expected(addon, name, "true or false", value);
            case "int8" or "int16" or "int32" or "int64" or "uint8" or "uint16" or "uint32" or "uint64":
                // Read from its JSON text: a number parsed from a file and one set from code (an int, a short) read alike.
                if (kind == System.Text.Json.JsonValueKind.Number && long.TryParse(value.ToJsonString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out _)) return value;
                if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l)) return JsonValue.Create(l);
                throw Expected(addon, name, "an integer", value);
            case "float32" or "float64":
                if (kind == System.Text.Json.JsonValueKind.Number) return value;
                if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)) return JsonValue.Create(d);
                throw Expected(addon, name, "a number", value);
            case "object":
                return kind == System.Text.Json.JsonValueKind.Object ? value
                    : ParsedJson(text) is JsonObject parsedObject ? parsedObject : throw Expected(addon, name, "an object (or its JSON text)", value, structured: true);
            case "array":
                return kind == System.Text.Json.JsonValueKind.Array ? value
                    : ParsedJson(text) is JsonArray parsedArray ? parsedArray : throw Expected(addon, name, "an array (or its JSON text)", value, structured: true);
            default:
                return value;
        }
    }

    private static JsonNode? ParsedJson(string? text)
    {
        try
        {
            return text is null ? null : JsonNode.Parse(text);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    // A value meant to be an object or an array is not shown either: it may hold secrets of its own (a server's token).
    private static TenPropertyException Expected(string addon, string name, string expected, JsonNode value, bool structured = false) =>
        new(name, $"{addon}: property '{name}' must be {expected}, got {(LooksSecret(name) || structured ? "a " + value.GetValueKind().ToString().ToLowerInvariant() + " (value hidden)" : value.ToJsonString())}.");

    /// <summary>Properties whose values must never be shown in messages or logs.</summary>
    public static bool LooksSecret(string name) =>
        name.Contains("key", StringComparison.OrdinalIgnoreCase) || name.Contains("secret", StringComparison.OrdinalIgnoreCase)
        || name.Contains("token", StringComparison.OrdinalIgnoreCase) || name.Contains("password", StringComparison.OrdinalIgnoreCase)
        || name.Contains("authorization", StringComparison.OrdinalIgnoreCase);
}
