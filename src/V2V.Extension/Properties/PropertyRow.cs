using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using V2V.Ten;

namespace V2V.Extension.Properties;

/// <summary>
/// One property of openai_v2v: its TEN name and manifest type, the option of the layer below that it sets (in that
/// layer's C# name), the values it accepts, and one line that says what it does. A row reads its value, checks
/// its type, and says what is wrong in the words of the property.
/// </summary>
internal sealed class PropertyRow
{
    private readonly Action<V2VSettings, JsonNode, PropertyRow> _apply;
    private readonly Func<V2VSettings, string> _show;

    private PropertyRow(string name, string type, string option, string doc, IReadOnlyList<string> allowed, Action<V2VSettings, JsonNode, PropertyRow> apply, Func<V2VSettings, string> show)
    {
        Name = name;
        Type = type;
        Option = option;
        Doc = doc;
        Allowed = allowed;
        _apply = apply;
        _show = show;
    }

    /// <summary>The property name, as in manifest.json and graphs.</summary>
    public string Name { get; }

    /// <summary>The manifest type: <c>string</c>, <c>int64</c>, <c>float64</c>, <c>bool</c> or <c>array</c>.</summary>
    public string Type { get; }

    /// <summary>The option it sets, as the layer below names it (e.g. <c>OutputSampleRate</c>, <c>BaseUri</c>).</summary>
    public string Option { get; }

    /// <summary>What it does and what it accepts, in one line.</summary>
    public string Doc { get; }

    /// <summary>The values it accepts (any letter case); empty: any value of its type.</summary>
    public IReadOnlyList<string> Allowed { get; }

    /// <summary>The property this one is another name of; where both are given, the table's later row wins.</summary>
    public string? AliasOf { get; private init; }

    /// <summary>The value the option has when the property is not given.</summary>
    public string Default => ValueIn(V2VSettings.Defaults);

    /// <summary>The option's value in <paramref name="settings"/>, as the property would say it.</summary>
    public string ValueIn(V2VSettings settings) => _show(settings);

    /// <summary>Whether the properties give this one: present, and not an empty or blank text (which means "not set").</summary>
    public bool IsGiven(JsonObject properties) =>
        properties[Name] is { } node && !(node.GetValueKind() == JsonValueKind.String && string.IsNullOrWhiteSpace(node.GetValue<string>()));

    /// <summary>Sets the option from the property, if given; a value of the wrong type or outside <see cref="Allowed"/> is refused.</summary>
    public void ApplyTo(V2VSettings settings, JsonObject properties)
    {
        if (IsGiven(properties))
        {
            _apply(settings, properties[Name]!, this);
        }
    }

    /// <summary>The error for a value the property cannot take, with the fix: what it accepts and its default.</summary>
    public TenPropertyException Refused(string problem, Exception? cause = null) =>
        new(Name, $"{OpenAIV2VAddon.Name}: property '{Name}' {problem} {Name}: {Doc} Default: {(Default.Length == 0 ? "not set" : Default)}.", cause);

    /// <summary>The same row under another name.</summary>
    public PropertyRow Alias(string name) => new(name, Type, Option, $"Another name of {Name}. {Doc}", Allowed, _apply, _show) { AliasOf = Name };

    public static PropertyRow Text(string name, string option, string doc, Action<V2VSettings, string> set, Func<V2VSettings, string?> get) =>
        new(name, "string", option, doc, [], (s, node, row) => set(s, AsText(row, node)), s => get(s) ?? "");

    public static PropertyRow Flag(string name, string option, string doc, Action<V2VSettings, bool> set, Func<V2VSettings, bool> get) =>
        new(name, "bool", option, doc, [], (s, node, row) => set(s, AsFlag(row, node)), s => get(s) ? "true" : "false");

    public static PropertyRow Number(string name, string option, string doc, Action<V2VSettings, double> set, Func<V2VSettings, double?> get) =>
        new(name, "float64", option, doc, [], (s, node, row) => set(s, AsNumber(row, node)), s => get(s)?.ToString(CultureInfo.InvariantCulture) ?? "");

    public static PropertyRow Integer(string name, string option, string doc, Action<V2VSettings, long> set, Func<V2VSettings, long?> get) =>
        new(name, "int64", option, doc, [], (s, node, row) => set(s, AsInteger(row, node)), s => get(s)?.ToString(CultureInfo.InvariantCulture) ?? "");

    /// <summary>An integer property whose option is an <see cref="int"/>: a value beyond its range is refused here, not overflowed.</summary>
    public static PropertyRow Int32(string name, string option, string doc, Action<V2VSettings, int> set, Func<V2VSettings, int?> get) =>
        new(name, "int64", option, doc, [],
            (s, node, row) => set(s, AsInteger(row, node) is var v && v is >= int.MinValue and <= int.MaxValue ? (int)v : throw row.Refused($"must be {int.MinValue} to {int.MaxValue}, got {v}.")),
            s => get(s)?.ToString(CultureInfo.InvariantCulture) ?? "");

    /// <summary>
    /// A property that is a list of objects (given as JSON text, by <c>--set</c> or <c>${env:NAME}</c>, it is parsed by
    /// the host, <see cref="TenProperties.Resolve"/>). Its value is never shown in an error: its objects may hold secrets.
    /// </summary>
    public static PropertyRow Objects(string name, string option, string doc, Action<V2VSettings, JsonArray, PropertyRow> set, Func<V2VSettings, string> show) =>
        new(name, "array", option, doc, [], (s, node, row) => set(s, AsArray(row, node), row), show);

    /// <summary>A text property that takes one of a few values.</summary>
    public static PropertyRow Choice<T>(string name, string option, string doc, IReadOnlyList<(string Text, T Value)> allowed, Action<V2VSettings, T> set, Func<V2VSettings, T> get)
        where T : notnull
    {
        var byText = allowed.ToDictionary(a => a.Text, a => a.Value, StringComparer.OrdinalIgnoreCase);
        return new(name, "string", option, doc, [.. allowed.Select(a => a.Text)],
            (s, node, row) =>
            {
                var text = AsText(row, node).Trim();
                set(s, byText.TryGetValue(text, out var value) ? value
                    : throw row.Refused($"must be one of {string.Join(", ", allowed.Select(a => $"\"{a.Text}\""))}; got \"{text}\"."));
            },
            s => allowed.First(a => EqualityComparer<T>.Default.Equals(a.Value, get(s))).Text);
    }

    private static string AsText(PropertyRow row, JsonNode node) =>
        node.GetValueKind() == JsonValueKind.String ? node.GetValue<string>() : throw WrongType(row, "a string", node);

    // A list given as JSON text (--set, ${env:NAME}) was parsed by the host, as every value is read as its declared type.
    private static JsonArray AsArray(PropertyRow row, JsonNode node) =>
        node as JsonArray ?? throw WrongType(row, "an array of objects", node);

    private static bool AsFlag(PropertyRow row, JsonNode node) => node.GetValueKind() switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => throw WrongType(row, "true or false", node),
    };

    // Numbers are read from their JSON text: a value parsed from a graph file and one set from code read alike.
    private static double AsNumber(PropertyRow row, JsonNode node) =>
        node.GetValueKind() == JsonValueKind.Number ? double.Parse(node.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture) : throw WrongType(row, "a number", node);

    private static long AsInteger(PropertyRow row, JsonNode node) =>
        node.GetValueKind() == JsonValueKind.Number && long.TryParse(node.ToJsonString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v)
            ? v
            : throw WrongType(row, "an integer", node);

    private static TenPropertyException WrongType(PropertyRow row, string expected, JsonNode node) =>
        row.Refused($"must be {expected}, got {(TenProperties.LooksSecret(row.Name) || row.Type == "array" ? $"a {node.GetValueKind().ToString().ToLowerInvariant()} (value hidden)" : node.ToJsonString())}.");
}
