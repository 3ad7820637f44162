using System.Text.Json;
using System.Text.Json.Nodes;

namespace V2V.Simulator.Protocol;

/// <summary>
/// A quick yes for the client events whose schema is a flat object of string properties (with at most
/// <c>enum</c> and <c>maxLength</c>), such as <c>input_audio_buffer.append</c>: 50 of them a second per session,
/// where the general schema evaluation (and its process-wide lock) costs more than everything else the server
/// does with the event. It only ever accepts; anything it is unsure of goes to the full validation, which words
/// the error. Built from the raw schema, so it holds exactly what the published schema holds.
/// </summary>
internal sealed class FlatStringSchema
{
    private readonly Dictionary<string, (int MaxLength, string[]? Allowed)> _properties;
    private readonly string[] _required;

    private FlatStringSchema(Dictionary<string, (int MaxLength, string[]? Allowed)> properties, string[] required)
    {
        _properties = properties;
        _required = required;
    }

    /// <summary>The fast check for <paramref name="schema"/>, or null when it is not a flat object of strings.</summary>
    public static FlatStringSchema? TryCompile(JsonObject? schema)
    {
        if (schema is null || schema["properties"] is not JsonObject properties
            || (schema["type"] is JsonValue type && type.GetValue<string>() != "object"))
        {
            return null;
        }

        var known = new Dictionary<string, (int, string[]?)>(StringComparer.Ordinal);
        foreach (var (name, node) in properties)
        {
            if (node is not JsonObject property || property["type"]?.GetValue<string>() != "string"
                || property.Any(p => p.Key is not ("type" or "description" or "enum" or "maxLength" or "x-stainless-const")))
            {
                return null; // anything richer than a plain string: the full validation decides
            }

            var maxLength = property["maxLength"] is JsonValue max ? max.GetValue<int>() : int.MaxValue;
            var allowed = property["enum"] is JsonArray values ? values.Select(v => v!.GetValue<string>()).ToArray() : null;
            known[name] = (maxLength, allowed);
        }

        var required = schema["required"] is JsonArray names ? names.Select(n => n!.GetValue<string>()).ToArray() : [];
        if (required.Length > 62)
        {
            return null;
        }

        return new FlatStringSchema(known, required);
    }

    /// <summary>True when <paramref name="instance"/> certainly satisfies the schema; false means "ask the full validation".</summary>
    public bool Accepts(JsonElement instance)
    {
        if (instance.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        long requiredSeen = 0;
        foreach (var property in instance.EnumerateObject())
        {
            if (!_properties.TryGetValue(property.Name, out var rule) || property.Value.ValueKind != JsonValueKind.String)
            {
                return false;
            }

            if (rule.Allowed is not null && !IsOneOf(property.Value, rule.Allowed))
            {
                return false;
            }

            // The audio has no maxLength, so it is never measured. A UTF-8 string has at least as many bytes as UTF-16
            // chars, so a raw value within the limit needs no decoding.
            if (rule.MaxLength != int.MaxValue
                && System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(property.Value).Length - 2 > rule.MaxLength
                && property.Value.GetString()!.Length > rule.MaxLength)
            {
                return false;
            }

            var index = Array.IndexOf(_required, property.Name);
            if (index >= 0)
            {
                if ((requiredSeen & (1L << index)) != 0)
                {
                    return false; // a name twice: let the full validation judge it
                }

                requiredSeen |= 1L << index;
            }
        }

        return requiredSeen == (1L << _required.Length) - 1;
    }

    private static bool IsOneOf(JsonElement value, string[] allowed)
    {
        foreach (var candidate in allowed)
        {
            if (value.ValueEquals(candidate))
            {
                return true;
            }
        }

        return false;
    }
}
