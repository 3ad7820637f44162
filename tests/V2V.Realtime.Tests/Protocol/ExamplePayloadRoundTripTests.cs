using System.Text;
using System.Text.Json.Nodes;
using V2V.Realtime.Protocol;
using V2V.Realtime.Tests.Support;

namespace V2V.Realtime.Tests.Protocol;

/// <summary>Every example payload of the published schemas parses into its own type and serializes back to equal JSON, in its dialect.</summary>
public sealed class ExamplePayloadRoundTripTests
{
    public static TheoryData<RealtimeDialect, string, bool, string> Examples()
    {
        var data = new TheoryData<RealtimeDialect, string, bool, string>();
        foreach (var dialect in new[] { RealtimeDialect.GA, RealtimeDialect.Beta })
        {
            foreach (var (schema, isClient, json) in ProtocolSchemas.Examples(dialect))
            {
                data.Add(dialect, schema, isClient, FixPublishedPlaceholders(json));
            }
        }
        return data;
    }

    [Fact]
    public void EveryEventSchemaOfBothDialectsHasAType()
    {
        foreach (var dialect in new[] { RealtimeDialect.GA, RealtimeDialect.Beta })
        {
            foreach (var (name, schema) in ProtocolSchemas.SchemasOf(dialect))
            {
                if ((name.StartsWith("RealtimeServerEvent", StringComparison.Ordinal) || name.StartsWith("RealtimeClientEvent", StringComparison.Ordinal))
                    && name is not "RealtimeServerEvent" and not "RealtimeClientEvent")
                {
                    var wire = schema!["properties"]!["type"]!["enum"]![0]!.GetValue<string>();
                    var known = name.StartsWith("RealtimeClientEvent", StringComparison.Ordinal)
                        ? RealtimeEventCatalog.TryGetClientEvent(wire, out _)
                        : RealtimeEventCatalog.TryGetServerEvent(wire, out _);
                    Assert.True(known, $"{dialect} {name} ('{wire}') has no type in the model");
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void ExamplePayload_ParsesIntoItsType_AndSerializesBackEqual(RealtimeDialect dialect, string schemaName, bool isClient, string json)
    {
        var parser = new RealtimeEventParser(dialect);
        var bytes = Encoding.UTF8.GetBytes(json);
        RealtimeEvent evt = isClient ? parser.ParseClientEvent(bytes) : parser.Parse(bytes);

        Assert.IsNotType<UnknownServerEvent>(evt);
        var malformed = evt as MalformedServerEvent;
        Assert.True(malformed is null, $"{schemaName}: {malformed?.Reason}");
        var wireType = JsonNode.Parse(json)!["type"]!.GetValue<string>();
        var descriptor = RealtimeEventCatalog.Of(evt.GetType());
        Assert.Contains(wireType, new[] { descriptor.GaName, descriptor.BetaName });
        Assert.Equal(wireType, evt.Type);

        var written = Encoding.UTF8.GetString(RealtimeEventWriter.ToUtf8Bytes(evt, dialect));
        Assert.True(JsonEquivalence.AreEquivalent(AsItsSchemaSpellsIt(dialect, schemaName, json), written, out var expected, out var actual),
            $"{schemaName} ({dialect}) did not round-trip.\nexpected: {expected}\nactual:   {actual}");
    }

    /// <summary>
    /// The beta example of response.create says max_output_tokens where its own schema (RealtimeResponseCreateParams)
    /// says max_response_output_tokens. The client reads either and writes what the schema defines.
    /// </summary>
    private static string AsItsSchemaSpellsIt(RealtimeDialect dialect, string schemaName, string json) =>
        dialect == RealtimeDialect.Beta && schemaName == "RealtimeClientEventResponseCreate"
            ? json.Replace("\"max_output_tokens\"", "\"max_response_output_tokens\"", StringComparison.Ordinal)
            : json;

    /// <summary>
    /// Two published examples are placeholders that a real server never sends: an audio delta whose "base64"
    /// is the text "Base64EncodedAudioDelta" (not base64, which the client rightly reports as malformed) and
    /// a DTMF event whose type has a stray leading space. They are made real here; everything else is as published.
    /// </summary>
    private static string FixPublishedPlaceholders(string json) => json
        .Replace("\"Base64EncodedAudioDelta\"", "\"" + Convert.ToBase64String(Encoding.ASCII.GetBytes("pcm16 audio bytes!")) + "\"", StringComparison.Ordinal)
        .Replace("\" input_audio_buffer.dtmf_event_received\"", "\"input_audio_buffer.dtmf_event_received\"", StringComparison.Ordinal);
}
