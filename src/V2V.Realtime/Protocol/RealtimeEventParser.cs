using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using V2V.Realtime.Protocol.Serialization;
using V2V.Realtime.Protocol.ServerEvents;

namespace V2V.Realtime.Protocol;

/// <summary>
/// Reads server messages into the typed model. Never throws for bad input: an unknown type becomes an
/// <see cref="UnknownServerEvent"/>, a message that cannot be read becomes a <see cref="MalformedServerEvent"/>.
/// Audio deltas take a fast path that decodes the base64 straight from the message bytes into a pooled buffer.
/// </summary>
public sealed class RealtimeEventParser
{
    private const int RawTextLimit = 4096;
    private readonly RealtimeDialect _dialect;
    private readonly RepeatedStringCache _responseIds = new();
    private readonly RepeatedStringCache _itemIds = new();

    /// <summary>Creates a parser for the dialect on the wire (it decides how nested objects are read).</summary>
    public RealtimeEventParser(RealtimeDialect dialect) => _dialect = dialect;

    /// <summary>Parses one complete server message (UTF-8 JSON). One parser serves one reader at a time.</summary>
    public RealtimeServerEvent Parse(ReadOnlySpan<byte> utf8)
    {
        string? type = null;
        try
        {
            if (!TryFindKnownType(utf8, out var descriptor, out type))
            {
                return type is null
                    ? Malformed("the message has no string field \"type\"", utf8, null)
                    : new UnknownServerEvent(type, JsonElement.Parse(utf8));
            }
            if (descriptor.ClrType == typeof(ResponseOutputAudioDeltaEvent))
            {
                return AudioDeltaReader.Read(utf8, type!, _responseIds, _itemIds);
            }
            return (RealtimeServerEvent)Deserialize(utf8, descriptor);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException or ArgumentException)
        {
            return Malformed(ex.Message, utf8, type);
        }
    }

    /// <summary>
    /// Parses one client event (for servers, proxies and tools that read what clients send). Unlike
    /// <see cref="Parse"/> it throws: a <see cref="JsonException"/> naming the problem, for an unknown type too.
    /// </summary>
    public RealtimeClientEvent ParseClientEvent(ReadOnlySpan<byte> utf8)
    {
        var type = ReadType(utf8) ?? throw new JsonException("The event has no string field \"type\".");
        if (!RealtimeEventCatalog.TryGetClientEvent(type, out var descriptor))
        {
            throw new JsonException($"Unknown client event type '{type}'.");
        }
        return (RealtimeClientEvent)Deserialize(utf8, descriptor);
    }

    private object Deserialize(ReadOnlySpan<byte> utf8, RealtimeEventDescriptor descriptor)
    {
        if (_dialect == RealtimeDialect.Beta && BetaShape.Applies(descriptor))
        {
            var tree = JsonNode.Parse(utf8)!.AsObject();
            BetaShape.ToGa(tree, descriptor);
            return tree.Deserialize(descriptor.TypeInfo)!;
        }
        return JsonSerializer.Deserialize(utf8, descriptor.TypeInfo)!;
    }

    /// <summary>
    /// Finds the event type without making a string for it when it is known: the name is decoded onto the
    /// stack and looked up, and the catalogue's own string is used.
    /// </summary>
    private static bool TryFindKnownType(ReadOnlySpan<byte> utf8, out RealtimeEventDescriptor descriptor, out string? type)
    {
        var reader = new Utf8JsonReader(utf8);
        descriptor = null!;
        type = null;
        if (!MoveToType(ref reader))
        {
            return false;
        }
        if (!reader.ValueIsEscaped && !reader.HasValueSequence && reader.ValueSpan.Length <= 128)
        {
            Span<char> name = stackalloc char[128];
            var length = Encoding.UTF8.GetChars(reader.ValueSpan, name);
            if (RealtimeEventCatalog.TryGetServerEvent(name[..length], out descriptor))
            {
                type = descriptor.GaName is not null && reader.ValueTextEquals(descriptor.GaName) ? descriptor.GaName : descriptor.BetaName;
                return true;
            }
        }
        type = reader.GetString();
        return RealtimeEventCatalog.TryGetServerEvent(type, out descriptor);
    }

    /// <summary>The top-level <c>type</c> field as a string, wherever it is in the object; null when it is missing or not a string.</summary>
    private static string? ReadType(ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8);
        return MoveToType(ref reader) ? reader.GetString() : null;
    }

    /// <summary>Moves the reader onto the value of the top-level <c>type</c> field; false when there is no string one.</summary>
    private static bool MoveToType(ref Utf8JsonReader reader)
    {
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("the message is not a JSON object");
        }
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isType = reader.ValueTextEquals("type"u8);
            reader.Read();
            if (isType)
            {
                return reader.TokenType == JsonTokenType.String;
            }
            reader.Skip();
        }
        return false;
    }

    private static MalformedServerEvent Malformed(string reason, ReadOnlySpan<byte> utf8, string? type)
    {
        var raw = utf8.Length <= RawTextLimit ? utf8 : utf8[..RawTextLimit];
        return new MalformedServerEvent(reason, Encoding.UTF8.GetString(raw), type);
    }
}
