using System.Text.Json.Nodes;
using V2V.Simulator.Tests.Responses;
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
            {"type":"session.update","session":{"type":"realtime","model":"gpt-realtime","instructions":"Be brief.",
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
    [InlineData("""{"type":"conversation.item.create","event_id":"e1","item":{"type":"message","role":"user","content":[{"type":"input_text","txt":"hi"}]}}""", "unknown_parameter", "item.content[0].txt")]
    [InlineData("""{"type":"conversation.item.create","event_id":"e1","item":{"type":"message","role":"system","foo":1,"content":[{"type":"input_text","text":"hi"}]}}""", "unknown_parameter", "item.foo")]
    [InlineData("""{"type":"conversation.item.create","event_id":"e1","item":{"type":"message","role":"system","content":[{"type":"input_text","text":"hi","audio":"AAAA"}]}}""", "unknown_parameter", "item.content[0].audio")]
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

    private const string Voices = "'alloy', 'ash', 'ballad', 'coral', 'echo', 'sage', 'shimmer', 'verse', 'marin', and 'cedar'";

    /// <summary>
    /// Each update the service refuses, in either dialect: the error names the code, the param and the client's
    /// event_id, and nothing of the update is applied (each carries a sound instruction change beside the fault).
    /// A null message is the schema validator's own wording, not checked here.
    /// </summary>
    [Theory]
    // 1. Voices: only the built-in ones.
    [InlineData(false, """{"type":"realtime","audio":{"output":{"voice":"bogus"}}}""", "invalid_value", "session.audio.output.voice", $"Invalid value: 'bogus'. Supported values are: {Voices}.")]
    [InlineData(true, """{"voice":"bogus"}""", "invalid_value", "session.voice", $"Invalid value: 'bogus'. Supported values are: {Voices}.")]
    // 2. The output token limit: 1-4096 or "inf".
    [InlineData(false, """{"type":"realtime","max_output_tokens":5000}""", "integer_above_max_value", "session.max_output_tokens", "Invalid 'session.max_output_tokens': integer above maximum value. Expected a value <= 4096, but got 5000 instead.")]
    [InlineData(false, """{"type":"realtime","max_output_tokens":0}""", "integer_below_min_value", "session.max_output_tokens", "Invalid 'session.max_output_tokens': integer below minimum value. Expected a value >= 1, but got 0 instead.")]
    [InlineData(true, """{"max_response_output_tokens":4097}""", "integer_above_max_value", "session.max_response_output_tokens", "Invalid 'session.max_response_output_tokens': integer above maximum value. Expected a value <= 4096, but got 4097 instead.")]
    // 3. Beta-only fields in a GA session; the beta temperature's range.
    // A field the GA session lacks is refused; the beta shape's own fields (modalities, voice, input_audio_format, ...)
    // end the session with beta_api_shape_disabled instead, as OpenAI does since the beta's retirement (OpenAiProfileTests).
    [InlineData(false, """{"type":"realtime","temperature":0.8}""", "unknown_parameter", "session.temperature", "Unknown parameter: 'session.temperature'.")]
    [InlineData(true, """{"temperature":0.5}""", "decimal_below_min_value", "session.temperature", "Invalid 'session.temperature': decimal below minimum value. Expected a value >= 0.6, but got 0.5 instead.")]
    [InlineData(true, """{"temperature":1.3}""", "decimal_above_max_value", "session.temperature", "Invalid 'session.temperature': decimal above maximum value. Expected a value <= 1.2, but got 1.3 instead.")]
    // 4. Transcription models: OpenAI's names only.
    [InlineData(false, """{"type":"realtime","audio":{"input":{"transcription":{"model":"whisper-2"}}}}""", "invalid_value", "session.audio.input.transcription.model", null)]
    [InlineData(true, """{"input_audio_transcription":{"model":"my-whisper-deployment"}}""", "invalid_value", "session.input_audio_transcription.model", null)]
    // 5. Transcription sessions; turn detection's ranges (the service's) and idle timeout and eagerness (the schema's).
    [InlineData(false, """{"type":"transcription"}""", "unsupported_session_type", "session.type", null)]
    // The model is chosen when connecting (gpt-realtime here): another is refused, the same one (above) is not.
    [InlineData(false, """{"type":"realtime","model":"gpt-realtime-mini"}""", "invalid_value", "session.model", null)]
    // GA answers in one modality: both at once are refused (beta asks for both, see the beta cases).
    [InlineData(false, """{"type":"realtime","output_modalities":["text","audio"]}""", "invalid_value", "session.output_modalities", null)]
    [InlineData(false, """{"type":"realtime","audio":{"input":{"turn_detection":{"type":"server_vad","threshold":1.5}}}}""", "decimal_above_max_value", "session.audio.input.turn_detection.threshold", "Invalid 'session.audio.input.turn_detection.threshold': decimal above maximum value. Expected a value <= 1, but got 1.5 instead.")]
    [InlineData(false, """{"type":"realtime","audio":{"input":{"turn_detection":{"type":"server_vad","threshold":-0.1}}}}""", "decimal_below_min_value", "session.audio.input.turn_detection.threshold", null)]
    [InlineData(false, """{"type":"realtime","audio":{"input":{"turn_detection":{"type":"server_vad","prefix_padding_ms":-1}}}}""", "integer_below_min_value", "session.audio.input.turn_detection.prefix_padding_ms", "Invalid 'session.audio.input.turn_detection.prefix_padding_ms': integer below minimum value. Expected a value >= 0, but got -1 instead.")]
    [InlineData(false, """{"type":"realtime","audio":{"input":{"turn_detection":{"type":"server_vad","silence_duration_ms":-200}}}}""", "integer_below_min_value", "session.audio.input.turn_detection.silence_duration_ms", null)]
    [InlineData(false, """{"type":"realtime","audio":{"input":{"turn_detection":{"type":"server_vad","idle_timeout_ms":4999}}}}""", "integer_below_min_value", "session.audio.input.turn_detection.idle_timeout_ms", "Invalid 'session.audio.input.turn_detection.idle_timeout_ms': integer below minimum value. Expected a value >= 5000, but got 4999 instead.")]
    [InlineData(false, """{"type":"realtime","audio":{"input":{"turn_detection":{"type":"server_vad","idle_timeout_ms":30001}}}}""", "integer_above_max_value", "session.audio.input.turn_detection.idle_timeout_ms", null)]
    [InlineData(false, """{"type":"realtime","audio":{"input":{"turn_detection":{"type":"semantic_vad","idle_timeout_ms":6000}}}}""", "unknown_parameter", "session.audio.input.turn_detection.idle_timeout_ms", null)]
    [InlineData(false, """{"type":"realtime","audio":{"input":{"turn_detection":{"type":"semantic_vad","eagerness":"sometimes"}}}}""", "invalid_value", "session.audio.input.turn_detection.eagerness", null)]
    [InlineData(false, """{"type":"realtime","audio":{"input":{"turn_detection":{"type":"server_vad","eagerness":"high"}}}}""", "unknown_parameter", "session.audio.input.turn_detection.eagerness", "Unknown parameter: 'session.audio.input.turn_detection.eagerness'.")]
    // The schema's own ranges are worded as the service words them too.
    [InlineData(false, """{"type":"realtime","audio":{"output":{"speed":2}}}""", "decimal_above_max_value", "session.audio.output.speed", "Invalid 'session.audio.output.speed': decimal above maximum value. Expected a value <= 1.5, but got 2 instead.")]
    [InlineData(false, """{"type":"realtime","truncation":{"type":"retention_ratio","retention_ratio":1.5}}""", "decimal_above_max_value", "session.truncation.retention_ratio", null)]
    [InlineData(false, """{"type":"realtime","truncation":{"type":"retention_ratio","retention_ratio":0.8,"token_limits":{"post_instructions":-1}}}""", "integer_below_min_value", "session.truncation.token_limits.post_instructions", null)]
    [InlineData(false, """{"type":"realtime","truncation":"sometimes"}""", "invalid_value", "session.truncation", null)]
    [InlineData(true, """{"truncation":{"type":"retention_ratio","retention_ratio":0.8}}""", "unknown_parameter", "session.truncation", null)]
    [InlineData(true, """{"speed":1.2}""", "unknown_parameter", "session.speed", null)]
    [InlineData(false, """{"type":"realtime","reasoning":{"effort":"maximal"}}""", "invalid_value", "session.reasoning.effort", null)]
    [InlineData(true, """{"reasoning":{"effort":"low"}}""", "unknown_parameter", "session.reasoning", null)]
    [InlineData(true, """{"turn_detection":{"type":"server_vad","threshold":2}}""", "decimal_above_max_value", "session.turn_detection.threshold", null)]
    [InlineData(true, """{"turn_detection":{"type":"server_vad","idle_timeout_ms":6000}}""", "unknown_parameter", "session.turn_detection.idle_timeout_ms", null)]
    public async Task RefusedUpdate_NamesCodeParamAndEventId_AndChangesNothing(bool beta, string session, string code, string param, string? message)
    {
        await using var server = await Servers.StartAsync(beta);
        var (client, created) = await RealtimeTestClient.StartAsync(server, beta);
        await using var _c = client;
        var update = JsonNode.Parse(session)!.AsObject();
        if (update["type"]?.GetValue<string>() != "transcription")
        {
            // A sound change beside the fault (a transcription session has no instructions to change).
            update["instructions"] = "must not be applied";
        }

        await client.SendAsync(new JsonObject { ["type"] = "session.update", ["event_id"] = "evt_refused", ["session"] = update });
        var error = await client.NextAsync();

        Assert.Equal("error", error.Type());
        Assert.Equal("invalid_request_error", error["error"]!.Str("type"));
        Assert.Equal(code, error["error"]!.Str("code"));
        Assert.Equal(param, error["error"]!.Str("param"));
        Assert.Equal("evt_refused", error["error"]!.Str("event_id"));
        if (message is not null)
        {
            Assert.Equal(message, error["error"]!.Str("message"));
        }

        await AssertSessionIsAsync(client, beta, created);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task EveryKnownVoice_EveryTranscriptionModel_AndTheLimitsEdges_AreAccepted(bool beta)
    {
        await using var server = await Servers.StartAsync(beta);
        var (client, _) = await RealtimeTestClient.StartAsync(server, beta);
        await using var _c = client;

        var updates = new List<string>();
        foreach (var voice in V2V.Simulator.Session.KnownVoices.All)
        {
            updates.Add(beta ? $$"""{"voice":"{{voice}}"}""" : $$"""{"type":"realtime","audio":{"output":{"voice":"{{voice}}"} } }""");
        }

        foreach (var model in V2V.Simulator.Session.TranscriptionModels.OpenAi)
        {
            updates.Add(beta ? $$"""{"input_audio_transcription":{"model":"{{model}}"} }""" : $$"""{"type":"realtime","audio":{"input":{"transcription":{"model":"{{model}}"} } } }""");
        }

        foreach (var max in new[] { "1", "4096", "\"inf\"" })
        {
            updates.Add(beta ? $$"""{"max_response_output_tokens":{{max}}}""" : $$"""{"type":"realtime","max_output_tokens":{{max}}}""");
        }

        updates.AddRange(beta
            ? ["""{"temperature":0.6}""", """{"temperature":1.2}""", """{"turn_detection":{"type":"server_vad","threshold":0,"prefix_padding_ms":0,"silence_duration_ms":0}}""", """{"turn_detection":{"type":"server_vad","threshold":1}}"""]
            : ["""{"type":"realtime","audio":{"input":{"turn_detection":{"type":"server_vad","threshold":0,"prefix_padding_ms":0,"silence_duration_ms":0,"idle_timeout_ms":5000}}}}""",
               """{"type":"realtime","audio":{"input":{"turn_detection":{"type":"server_vad","threshold":1,"idle_timeout_ms":30000}}}}""",
               """{"type":"realtime","audio":{"input":{"turn_detection":{"type":"semantic_vad","eagerness":"high"}}}}"""]);

        foreach (var session in updates)
        {
            await client.SendRawAsync($$"""{"type":"session.update","event_id":"evt_ok","session":{{session}}}""");
            var reply = await client.NextAsync();
            Assert.True(reply.Type() == "session.updated", $"{session} -> {reply.ToJsonString()}");
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task VoiceChange_AfterAssistantAudio_IsRefused_TheSameVoiceIsNot(bool beta)
    {
        await using var server = await Servers.StartAsync(beta);
        var (client, _) = await RealtimeTestClient.StartAsync(server, beta);
        await using var _c = client;
        await ConversationHelpers.AskWithAudioAsync(client, beta, speechMs: 500);
        Assert.NotEmpty((await client.UntilAsync("response.done")).OfType(beta ? "response.audio.delta" : "response.output_audio.delta"));
        await client.SendRawAsync(beta ? """{"type":"session.update","session":{}}""" : """{"type":"session.update","session":{"type":"realtime"}}""");
        var before = (await client.UntilAsync("session.updated")).Last()["session"]!.AsObject();

        await client.SendRawAsync(beta
            ? """{"type":"session.update","event_id":"evt_voice","session":{"voice":"cedar","instructions":"must not be applied"}}"""
            : """{"type":"session.update","event_id":"evt_voice","session":{"type":"realtime","instructions":"must not be applied","audio":{"output":{"voice":"cedar"}}}}""");
        var error = (await client.NextAsync())["error"]!;

        Assert.Equal("cannot_update_voice", error.Str("code"));
        Assert.Equal(beta ? "session.voice" : "session.audio.output.voice", error.Str("param"));
        Assert.Equal("evt_voice", error.Str("event_id"));
        Assert.Equal("Cannot update a conversation's voice if assistant audio is present.", error.Str("message"));
        await AssertSessionIsAsync(client, beta, before);

        await client.SendRawAsync(beta
            ? """{"type":"session.update","session":{"voice":"alloy"}}"""
            : """{"type":"session.update","session":{"type":"realtime","audio":{"output":{"voice":"alloy"}}}}""");
        Assert.Equal("session.updated", (await client.NextAsync()).Type());
    }

    [Fact]
    public async Task TracingOnceEnabled_CannotBeChanged_TheSameAgainIsAccepted()
    {
        await using var server = await Servers.StartAsync();
        var (client, _) = await RealtimeTestClient.StartAsync(server);
        await using var _c = client;
        await client.SendRawAsync("""{"type":"session.update","session":{"type":"realtime","tracing":{"workflow_name":"support","group_id":"CA1"}}}""");
        var before = (await client.UntilAsync("session.updated")).Last()["session"]!.AsObject();
        Assert.Equal("CA1", before["tracing"]!["group_id"]!.GetValue<string>());

        await client.SendRawAsync("""{"type":"session.update","event_id":"evt_trace","session":{"type":"realtime","instructions":"must not be applied","tracing":"auto"}}""");
        var error = (await client.NextAsync())["error"]!;

        Assert.Equal("invalid_value", error.Str("code"));
        Assert.Equal("session.tracing", error.Str("param"));
        Assert.Equal("evt_trace", error.Str("event_id"));
        await AssertSessionIsAsync(client, beta: false, before);
        await client.SendRawAsync("""{"type":"session.update","session":{"type":"realtime","tracing":{"group_id":"CA1","workflow_name":"support"}}}""");
        Assert.Equal("session.updated", (await client.NextAsync()).Type());
    }

    /// <summary>An update that changes nothing reports the session exactly as <paramref name="expected"/>: the refused update left no trace.</summary>
    private static async Task AssertSessionIsAsync(RealtimeTestClient client, bool beta, JsonObject expected)
    {
        await client.SendRawAsync(beta ? """{"type":"session.update","session":{}}""" : """{"type":"session.update","session":{"type":"realtime"}}""");
        var updated = await client.NextAsync();
        Assert.Equal("session.updated", updated.Type());
        Assert.True(JsonNode.DeepEquals(expected, updated["session"]), $"expected {expected.ToJsonString()}{Environment.NewLine}but got {updated["session"]!.ToJsonString()}");
    }
}
