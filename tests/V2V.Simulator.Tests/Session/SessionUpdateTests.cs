using System.Text.Json.Nodes;
using V2V.Simulator.Tests.Support;

namespace V2V.Simulator.Tests.Session;

public sealed class SessionUpdateTests
{
    [Fact]
    public async Task ValidUpdate_ReturnsTheEffectiveSession()
    {
        await using var server = await Servers.StartAsync();
        var (client, _) = await RealtimeTestClient.StartAsync(server);
        await using var _c = client;

        await client.SendAsync(JsonNode.Parse("""
            {"type":"session.update","session":{"type":"realtime","instructions":"Be brief.",
             "audio":{"input":{"turn_detection":{"type":"server_vad","threshold":0.7,"silence_duration_ms":350}},
                      "output":{"voice":"marin"}}}}
            """)!.AsObject());
        var updated = await client.NextAsync();

        Assert.Equal("session.updated", updated.Type());
        var session = updated["session"]!;
        Assert.Equal("Be brief.", session.Str("instructions"));
        Assert.Equal("marin", session["audio"]!["output"]!.Str("voice"));
        var vad = session["audio"]!["input"]!["turn_detection"]!;
        Assert.Equal(0.7, vad["threshold"]!.GetValue<double>());
        Assert.Equal(350, vad.Int("silence_duration_ms"));
        Assert.Equal(300, vad.Int("prefix_padding_ms"));
    }

    [Fact]
    public async Task InvalidField_GetsInvalidRequestError_NamingParamAndEventId_AndTheSessionGoesOn()
    {
        await using var server = await Servers.StartAsync();
        var (client, _) = await RealtimeTestClient.StartAsync(server);
        await using var _c = client;

        await client.SendAsync(JsonNode.Parse("""
            {"type":"session.update","event_id":"evt_client_7","session":{"type":"realtime",
             "audio":{"input":{"turn_detection":{"type":"server_vad","threshold":"high"}}}}}
            """)!.AsObject());
        var error = (await client.NextAsync())["error"]!;

        Assert.Equal("invalid_request_error", error.Str("type"));
        Assert.Equal("session.audio.input.turn_detection.threshold", error.Str("param"));
        Assert.Equal("evt_client_7", error.Str("event_id"));

        await client.SendAsync(new JsonObject { ["type"] = "session.update", ["session"] = new JsonObject { ["type"] = "realtime", ["instructions"] = "still here" } });
        Assert.Equal("session.updated", (await client.NextAsync()).Type());
    }

    [Theory]
    [InlineData("""{"type":"session.update","event_id":"e1","session":{"type":"realtime","colour":"red"}}""", "unknown_parameter", "session.colour")]
    [InlineData("""{"type":"session.update","event_id":"e1","session":{"instructions":"x"}}""", "missing_required_parameter", "session.type")]
    [InlineData("""{"type":"session.update","event_id":"e1","session":{"type":"realtime","output_modalities":["video"]}}""", "invalid_value", "session.output_modalities[0]")]
    [InlineData("""{"type":"conversation.item.truncate","event_id":"e1","item_id":"item_x","content_index":0}""", "missing_required_parameter", "audio_end_ms")]
    [InlineData("""{"type":"session.dance","event_id":"e1"}""", "invalid_value", "type")]
    [InlineData("""{"type":"input_audio_buffer.append","event_id":"e1","audio":"AAAA","pitch":"high"}""", "unknown_parameter", "pitch")]
    [InlineData("""{"type":"input_audio_buffer.append","event_id":"e1","audio":5}""", "invalid_type", "audio")]
    public async Task BadEvents_GetErrorsNamingTheParam(string json, string code, string param)
    {
        await using var server = await Servers.StartAsync();
        var (client, _) = await RealtimeTestClient.StartAsync(server);
        await using var _c = client;

        await client.SendRawAsync(json);
        var evt = await client.NextAsync();

        Assert.Equal("error", evt.Type());
        Assert.Equal(code, evt["error"]!.Str("code"));
        Assert.Equal(param, evt["error"]!.Str("param"));
        Assert.Equal("e1", evt["error"]!.Str("event_id"));
    }

    [Fact]
    public async Task MalformedJsonAndMissingType_GetErrors_AndTheSessionGoesOn()
    {
        // Beta is spoken only by the azure-preview profile (OpenAI retired it): the server runs that profile.
        await using var server = await Servers.StartAsync(beta: true);
        var (client, _) = await RealtimeTestClient.StartAsync(server, beta: true);
        await using var _c = client;

        await client.SendRawAsync("{not json");
        Assert.Equal("invalid_json", (await client.NextAsync())["error"]!.Str("code"));
        await client.SendRawAsync("""{"event_id":"e2"}""");
        var missing = await client.NextAsync();
        Assert.Equal("invalid_event", missing["error"]!.Str("code"));
        Assert.Equal("e2", missing["error"]!.Str("event_id"));

        await client.SendRawAsync("""{"type":"session.update","session":{"turn_detection":null,"modalities":["text"]}}""");
        var updated = await client.NextAsync();
        Assert.Equal("session.updated", updated.Type());
        Assert.Null(updated["session"]!["turn_detection"]);
    }
}
