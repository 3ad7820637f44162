using System.Globalization;
using System.Text.Json.Nodes;

namespace V2V.Graph.Definition;

/// <summary>
/// A path into a message's properties as TEN writes it in <c>msg_conversion</c> rules: object keys separated by dots,
/// array indexes in brackets (<c>user.tags[1].value</c>, <c>items[0][2]</c>).
/// </summary>
public sealed class PropertyPath
{
    private readonly IReadOnlyList<object> _segments; // string: an object key; int: an array index

    private PropertyPath(string text, IReadOnlyList<object> segments)
    {
        Text = text;
        _segments = segments;
    }

    /// <summary>The path as written.</summary>
    public string Text { get; }

    /// <summary>The first key, e.g. <c>ten</c> of <c>ten.name</c>.</summary>
    public string Root => (string)_segments[0];

    /// <summary>The number of segments (keys and indexes).</summary>
    public int Depth => _segments.Count;

    /// <summary>Reads a path; null (and <paramref name="error"/>) when it is not one.</summary>
    public static PropertyPath? TryParse(string? text, out string? error)
    {
        error = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "the path is empty";
            return null;
        }
        var segments = new List<object>();
        foreach (var part in text.Split('.'))
        {
            var bracket = part.IndexOf('[', StringComparison.Ordinal);
            var key = bracket < 0 ? part : part[..bracket];
            if (key.Length == 0)
            {
                error = $"'{text}' has an empty key (expected e.g. a.b[0].c)";
                return null;
            }
            segments.Add(key);
            var rest = bracket < 0 ? "" : part[bracket..];
            while (rest.Length > 0)
            {
                var close = rest.IndexOf(']', StringComparison.Ordinal);
                if (rest[0] != '[' || close < 0 || !int.TryParse(rest.AsSpan(1, close - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var index))
                {
                    error = $"'{text}' has a malformed index (expected e.g. items[0])";
                    return null;
                }
                segments.Add(index);
                rest = rest[(close + 1)..];
            }
        }
        return new PropertyPath(text, segments);
    }

    /// <summary>The value at the path, or null when some part of it is missing.</summary>
    public JsonNode? Get(JsonObject properties)
    {
        JsonNode? node = properties;
        foreach (var segment in _segments)
        {
            node = segment switch
            {
                string key when node is JsonObject o => o[key],
                int index when node is JsonArray a && index < a.Count => a[index],
                _ => null,
            };
            if (node is null)
            {
                return null;
            }
        }
        return node;
    }

    /// <summary>Sets the value at the path, making the objects and arrays on the way (arrays padded with nulls).</summary>
    /// <exception cref="InvalidOperationException">A part of the path is already a value of another shape.</exception>
    public void Set(JsonObject properties, JsonNode? value)
    {
        JsonNode current = properties;
        for (var i = 0; i < _segments.Count; i++)
        {
            var last = i == _segments.Count - 1;
            var next = last ? null : _segments[i + 1];
            JsonNode Make() => next is int ? new JsonArray() : new JsonObject();
            switch (_segments[i], current)
            {
                case (string key, JsonObject o):
                    if (last)
                    {
                        o[key] = value;
                        return;
                    }
                    current = o[key] ??= Make();
                    break;
                case (int index, JsonArray a):
                    while (a.Count <= index)
                    {
                        a.Add(null);
                    }
                    if (last)
                    {
                        a[index] = value;
                        return;
                    }
                    current = a[index] ??= Make();
                    break;
                default:
                    throw new InvalidOperationException($"'{Text}': a part of the path is already a {current.GetValueKind().ToString().ToLowerInvariant()}.");
            }
        }
    }

    /// <inheritdoc/>
    public override string ToString() => Text;
}
