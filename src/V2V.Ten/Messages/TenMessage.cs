using System.Text.Json.Nodes;

namespace V2V.Ten.Messages;

/// <summary>
/// A message between extensions, as in TEN: a name (e.g. <c>text_data</c>, <c>flush</c>, <c>pcm_frame</c>) and
/// a bag of named properties. Typed accessors read the properties with errors that name the property.
/// </summary>
public abstract class TenMessage
{
    /// <summary>Creates a message with a name.</summary>
    protected TenMessage(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
    }

    /// <summary>The message name, which the graph routes by.</summary>
    public string Name { get; }

    /// <summary>The instance name of the extension that sent it (set by the graph host).</summary>
    public string? Source { get; set; }

    private JsonObject? _properties;

    /// <summary>The properties of the message, made on first use (an audio frame's typed fields are not in it).</summary>
    public JsonObject Properties => GetProperties();

    /// <summary>A string property, or null when absent.</summary>
    public string? GetString(string property) => Get<string>(property);

    /// <summary>An int64 property, or null when absent.</summary>
    public long? GetInt64(string property) => Find(property) is null ? null : Get<long>(property);

    /// <summary>A bool property, or null when absent.</summary>
    public bool? GetBool(string property) => Find(property) is null ? null : Get<bool>(property);

    /// <summary>Sets a property (fluent). An audio frame keeps its known properties (e.g. <c>stream_id</c>) as typed fields.</summary>
    public TenMessage Set(string property, JsonNode? value)
    {
        if (!TrySetKnown(property, value))
        {
            Properties[property] = value;
        }
        return this;
    }

    /// <summary>The bag (made when first asked for).</summary>
    private protected virtual JsonObject GetProperties() => _properties ??= [];

    /// <summary>The bag if one was made, else null (reading does not make one).</summary>
    private protected virtual JsonObject? PeekProperties() => _properties;

    /// <summary>A property a subclass keeps as a typed field, as a node (made only when asked for), or null.</summary>
    private protected virtual JsonNode? GetKnown(string property) => null;

    /// <summary>Stores a property a subclass keeps as a typed field; false for any other property.</summary>
    private protected virtual bool TrySetKnown(string property, JsonNode? value) => false;

    private JsonNode? Find(string property) => GetKnown(property) ?? PeekProperties()?[property];

    private T? Get<T>(string property)
    {
        var node = Find(property);
        if (node is null)
        {
            return default;
        }
        if (node is JsonValue value && value.TryGetValue<T>(out var result))
        {
            return result;
        }
        throw new TenPropertyException(property, $"property '{property}' of {Name} must be {typeof(T).Name}, got {node.GetValueKind()}: {Truncate(node.ToJsonString())}");
    }

    private static string Truncate(string s) => s.Length <= 80 ? s : s[..80] + "...";
}
