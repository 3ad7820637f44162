using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using V2V.Realtime.Protocol.Serialization;

namespace V2V.Realtime.Protocol;

/// <summary>
/// Writes events of the typed model as the JSON of a dialect: the event's name in that dialect, and in beta
/// the beta shape of sessions, responses and items. Events whose wire form is the same in both dialects are
/// written straight from the source-generated serializer.
/// </summary>
public static class RealtimeEventWriter
{
    [ThreadStatic] private static Utf8JsonWriter? t_writer;

    /// <summary>Writes <paramref name="evt"/> as UTF-8 JSON of <paramref name="dialect"/> into <paramref name="output"/>.</summary>
    public static void Write(RealtimeEvent evt, RealtimeDialect dialect, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(evt);
        ArgumentNullException.ThrowIfNull(output);
        var descriptor = RealtimeEventCatalog.Of(evt.GetType());
        var name = descriptor.NameIn(dialect);
        var writer = RentWriter(output);
        try
        {
            var gaSessionWithoutType = dialect == RealtimeDialect.GA && evt is ClientEvents.SessionUpdateEvent { Session.Type: null };
            if (name == evt.Type && !gaSessionWithoutType && !(dialect == RealtimeDialect.Beta && BetaShape.Applies(descriptor)))
            {
                JsonSerializer.Serialize(writer, evt, descriptor.TypeInfo);
            }
            else
            {
                var tree = JsonSerializer.SerializeToNode(evt, descriptor.TypeInfo)!.AsObject();
                tree["type"] = name;
                if (dialect == RealtimeDialect.Beta)
                {
                    BetaShape.ToBeta(tree, descriptor);
                }
                else if (gaSessionWithoutType)
                {
                    // GA requires the session type; a realtime session is what this library speaks.
                    tree["session"]!["type"] = "realtime";
                }
                tree.WriteTo(writer);
            }
        }
        finally
        {
            writer.Flush();
        }
    }

    /// <summary>Writes <paramref name="evt"/> as a UTF-8 JSON byte array (for tests and tools; the client writes into pooled buffers).</summary>
    public static byte[] ToUtf8Bytes(RealtimeEvent evt, RealtimeDialect dialect)
    {
        var buffer = new ArrayBufferWriter<byte>();
        Write(evt, dialect, buffer);
        return buffer.WrittenSpan.ToArray();
    }

    // One writer per thread, reset onto each output: no allocation per event for the writer itself.
    private static Utf8JsonWriter RentWriter(IBufferWriter<byte> output)
    {
        var writer = t_writer ??= new Utf8JsonWriter(output, new JsonWriterOptions { SkipValidation = true });
        writer.Reset(output);
        return writer;
    }
}
