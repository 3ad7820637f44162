using System.Text.Json.Nodes;

namespace V2V.Graph.Definition;

/// <summary>
/// A destination's <c>msg_conversion</c>, as TEN defines it (<c>"type": "per_property"</c>): the destination gets a
/// new message made from the original by the rules, in order. With <c>keep_original</c> the new message starts as a
/// copy of the original's properties, otherwise with none. A <c>fixed_value</c> rule on <c>ten.name</c> (older TEN:
/// <c>_ten.name</c>) renames the message. <c>result</c> converts the command result on its way back, the same way
/// (a result keeps its status and detail).
/// </summary>
public sealed class MessageConversion
{
    internal MessageConversion(IReadOnlyList<ConversionRule> rules, bool keepOriginal, string? rename, MessageConversion? result)
    {
        Rules = rules;
        KeepOriginal = keepOriginal;
        Rename = rename;
        Result = result;
    }

    /// <summary>The property rules, in order (the rename is not among them).</summary>
    public IReadOnlyList<ConversionRule> Rules { get; }

    /// <summary>Whether the converted message starts with the original's properties.</summary>
    public bool KeepOriginal { get; }

    /// <summary>The destination's name for the message, when the conversion renames it.</summary>
    public string? Rename { get; }

    /// <summary>The conversion of the command's result on its way back, if any.</summary>
    public MessageConversion? Result { get; }

    /// <summary>The name the destination sees.</summary>
    public string ConvertName(string name) => Rename ?? name;

    /// <summary>The converted message's properties, made from the original's (which are not changed).</summary>
    /// <exception cref="InvalidOperationException">A rule's path runs into a value of another shape.</exception>
    public JsonObject ConvertProperties(JsonObject? original)
    {
        original ??= [];
        var converted = KeepOriginal ? (JsonObject)original.DeepClone() : [];
        foreach (var rule in Rules)
        {
            if (rule.OriginalPath is { } from)
            {
                // A property the original does not have is not made up: the converted message lacks it too.
                if (from.Get(original) is { } value)
                {
                    rule.Path.Set(converted, value.DeepClone());
                }
            }
            else
            {
                rule.Path.Set(converted, rule.Value?.DeepClone());
            }
        }
        return converted;
    }

    /// <summary>Reads a <c>msg_conversion</c> object; null, with the problems added, when it is not valid.</summary>
    public static MessageConversion? Parse(JsonNode? node, string where, List<string> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        var before = problems.Count;
        if (node is not JsonObject conversion)
        {
            problems.Add($"{where}: msg_conversion must be an object {{\"type\": \"per_property\", \"rules\": [...]}}.");
            return null;
        }
        var type = Text(conversion["type"]);
        if (type != "per_property")
        {
            problems.Add($"{where}: msg_conversion type '{type ?? "(missing)"}' is not supported; TEN defines \"per_property\".");
        }
        var keepOriginal = conversion["keep_original"] is JsonValue keep && keep.TryGetValue<bool>(out var k) && k;
        var rules = new List<ConversionRule>();
        string? rename = null;
        if (conversion["rules"] is not JsonArray array)
        {
            problems.Add($"{where}: msg_conversion needs \"rules\": an array of {{\"path\", \"conversion_mode\", \"value\" or \"original_path\"}}.");
            array = [];
        }
        for (var i = 0; i < array.Count; i++)
        {
            var at = $"{where}.msg_conversion.rules[{i}]";
            if (ReadRule(array[i], at, problems) is not { } rule)
            {
                continue;
            }
            if (rule.Path.Root is "ten" or "_ten")
            {
                if (rule.Path.Depth == 2 && rule.Path.Text.EndsWith(".name", StringComparison.Ordinal) && !rule.FromOriginal
                    && rule.Value is JsonValue v && v.TryGetValue<string>(out var name) && !string.IsNullOrWhiteSpace(name))
                {
                    rename = name;
                }
                else
                {
                    problems.Add($"{at}: '{rule.Path}': of the message's own fields only the name can be converted, with \"path\": \"ten.name\", \"conversion_mode\": \"fixed_value\" and a string \"value\".");
                }
                continue;
            }
            rules.Add(rule);
        }
        MessageConversion? result = null;
        if (conversion["result"] is { } resultNode)
        {
            result = Parse(resultNode, $"{where}.msg_conversion.result", problems);
            if (result?.Rename is not null)
            {
                problems.Add($"{where}: msg_conversion.result cannot rename the result.");
            }
        }
        return problems.Count > before ? null : new MessageConversion(rules, keepOriginal, rename, result);
    }

    private static ConversionRule? ReadRule(JsonNode? node, string at, List<string> problems)
    {
        if (node is not JsonObject rule)
        {
            problems.Add($"{at}: a rule must be an object.");
            return null;
        }
        if (PropertyPath.TryParse(Text(rule["path"]), out var pathError) is not { } path)
        {
            problems.Add($"{at}: \"path\": {pathError}.");
            return null;
        }
        switch (Text(rule["conversion_mode"]))
        {
            case "fixed_value":
                if (!rule.ContainsKey("value"))
                {
                    problems.Add($"{at}: a fixed_value rule needs \"value\".");
                    return null;
                }
                return new ConversionRule(path, rule["value"]?.DeepClone(), null);
            case "from_original":
                if (PropertyPath.TryParse(Text(rule["original_path"]), out var originalError) is not { } original)
                {
                    problems.Add($"{at}: a from_original rule needs \"original_path\": {originalError}.");
                    return null;
                }
                return new ConversionRule(path, null, original);
            case var mode:
                problems.Add($"{at}: conversion_mode '{mode ?? "(missing)"}' is not one of fixed_value, from_original.");
                return null;
        }
    }

    private static string? Text(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
