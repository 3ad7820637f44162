using System.Text.Json.Nodes;
using V2V.Simulator.Tests.Support;

namespace V2V.Simulator.Tests.Turns;

public sealed class ServerVadTurnTests
{
    internal static JsonObject VadUpdate(bool ga, int prefixMs = 300, int silenceMs = 200, bool transcription = true)
    {
        var vad = new JsonObject { ["type"] = "server_vad", ["threshold"] = 0.5, ["prefix_padding_ms"] = prefixMs, ["silence_duration_ms"] = silenceMs };
        var session = ga
            ? new JsonObject
            {
                ["type"] = "realtime",
                ["audio"] = new JsonObject { ["input"] = new JsonObject { ["turn_detection"] = vad, ["transcription"] = transcription ? new JsonObject { ["model"] = "whisper-1" } : null } },
            }
            : new JsonObject { ["turn_detection"] = vad, ["input_audio_transcription"] = transcription ? new JsonObject { ["model"] = "whisper-1" } : null };
        return new JsonObject { ["type"] = "session.update", ["session"] = session };
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task SpeechTurn_IsDetected_Committed_AndEchoedWithItsOwnDuration(bool beta)
    {
        // Beta is spoken only by the azure-preview profile (OpenAI retired it): the beta case runs that profile.
        await using var server = await Servers.StartAsync(beta);
        var (client, _) = await RealtimeTestClient.StartAsync(server, beta);
        await using var _c = client;
        await client.SendAsync(VadUpdate(!beta));
        await client.UntilAsync("session.updated");

        await client.AppendAudioAsync(TestAudio.Turn(silenceBeforeMs: 500, speechMs: 1000, silenceAfterMs: 800));
        var events = await client.UntilAllAsync("response.done", "conversation.item.input_audio_transcription.completed");
        var itemAdded = beta ? "conversation.item.created" : "conversation.item.added";
        var types = events.Select(e => e.Type()).ToList();

        var started = events.OfType("input_audio_buffer.speech_started").Single();
        var stopped = events.OfType("input_audio_buffer.speech_stopped").Single();
        var committed = events.OfType("input_audio_buffer.committed").Single();
        Assert.Equal(500 - 300, started.Int("audio_start_ms"));                 // onset minus prefix padding
        Assert.InRange(stopped.Int("audio_end_ms"), 1500 + 200, 1500 + 200 + 10); // end plus silence, one VAD frame
        Assert.Equal(started.Str("item_id"), stopped.Str("item_id"));
        Assert.Equal(started.Str("item_id"), committed.Str("item_id"));
        Assert.True(types.IndexOf("input_audio_buffer.speech_stopped") < types.IndexOf("input_audio_buffer.committed"));
        Assert.True(types.IndexOf("input_audio_buffer.committed") < types.IndexOf(itemAdded));
        Assert.True(types.IndexOf(itemAdded) < types.IndexOf("response.created"));

        var transcript = events.OfType("conversation.item.input_audio_transcription.completed").Single();
        var turnMs = stopped.Int("audio_end_ms") - started.Int("audio_start_ms");
        Assert.Equal($"[{turnMs / 1000.0:0.00} s of speech]", transcript.Str("transcript"));

        // The echo: as much audio back as the user's turn, in deltas whose sizes vary as the service's do.
        var deltaType = beta ? "response.audio.delta" : "response.output_audio.delta";
        Assert.Equal(turnMs * TestAudio.SamplesPerMs * 2, events.AudioBytes(deltaType));
        Assert.True(events.OfType(deltaType).Select(d => Convert.FromBase64String(d.Str("delta")).Length).Distinct().Count() > 2);

        var transcriptType = beta ? "response.audio_transcript" : "response.output_audio_transcript";
        var deltas = string.Concat(events.OfType(transcriptType + ".delta").Select(d => d.Str("delta")));
        var done = events.OfType(transcriptType + ".done").Single().Str("transcript");
        Assert.Equal(done, deltas);
        Assert.Contains($"{turnMs / 1000.0:0.00} seconds", done, StringComparison.Ordinal);

        // Not the last event read: the transcription may come after the response, as the service's does.
        var response = events.OfType("response.done").Single()["response"]!;
        Assert.Equal("completed", response.Str("status"));
        Assert.True(response["usage"]!.Int("output_tokens") > 0);
    }

    [Fact]
    public async Task BelowThreshold_IsNoSpeech()
    {
        await using var server = await Servers.StartAsync();
        var (client, _) = await RealtimeTestClient.StartAsync(server);
        await using var _c = client;
        var update = VadUpdate(ga: true);
        update["session"]!["audio"]!["input"]!["turn_detection"]!["threshold"] = 1.0; // -10 dBFS: the test tone peaks at -11.7 dBFS RMS
        await client.SendAsync(update);
        await client.UntilAsync("session.updated");

        await client.AppendAudioAsync(TestAudio.Turn(200, 1000, 600));
        await client.SendAsync(new JsonObject { ["type"] = "input_audio_buffer.clear" });

        Assert.Equal("input_audio_buffer.cleared", (await client.NextAsync()).Type());
    }

    [Fact]
    public async Task SemanticVad_IsAccepted_AndEndsTurnsAfterItsEagernessSilence()
    {
        await using var server = await Servers.StartAsync();
        var (client, _) = await RealtimeTestClient.StartAsync(server);
        await using var _c = client;
        await client.SendRawAsync("""{"type":"session.update","session":{"type":"realtime","audio":{"input":{"turn_detection":{"type":"semantic_vad","eagerness":"high"}}}}}""");
        var updated = await client.NextAsync();
        Assert.Equal("semantic_vad", updated["session"]!["audio"]!["input"]!["turn_detection"]!.Str("type"));

        await client.AppendAudioAsync(TestAudio.Turn(400, 600, 600));
        var stopped = (await client.UntilAsync("input_audio_buffer.speech_stopped")).Last();

        Assert.InRange(stopped.Int("audio_end_ms"), 1000 + 400, 1000 + 400 + 10); // "high" eagerness: 400 ms
    }

    [Fact]
    public async Task CreateResponseOff_CommitsButDoesNotAnswer()
    {
        await using var server = await Servers.StartAsync();
        var (client, _) = await RealtimeTestClient.StartAsync(server);
        await using var _c = client;
        var update = VadUpdate(ga: true, transcription: false);
        update["session"]!["audio"]!["input"]!["turn_detection"]!["create_response"] = false;
        await client.SendAsync(update);
        await client.UntilAsync("session.updated");

        await client.AppendAudioAsync(TestAudio.Turn(300, 500, 500));
        await client.UntilAsync("conversation.item.done");
        await client.SendAsync(new JsonObject { ["type"] = "input_audio_buffer.clear" });

        Assert.Equal("input_audio_buffer.cleared", (await client.NextAsync()).Type());
    }
}
