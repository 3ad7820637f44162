using System.Diagnostics;
using System.Text.Json.Nodes;
using V2V.Simulator.Tests.Support;

namespace V2V.Simulator.Tests.Responses;

/// <summary>The server behaves as the service does by default: fast answers, asynchronous transcription, failures.</summary>
public sealed class ServiceBehaviourTests
{
    [Fact]
    public async Task Answers_ArriveFasterThanRealTime_InDeltasOfVaryingSize()
    {
        await using var server = await Servers.StartAsync(o => o.SpeedFactor = 1); // the service's own timing
        var (client, _) = await RealtimeTestClient.StartAsync(server);
        await using var _c = client;
        await ConversationHelpers.AskWithAudioAsync(client, beta: false, speechMs: 4000);

        await client.UntilAsync("response.created");
        var clock = Stopwatch.StartNew();
        var events = await client.UntilAsync("response.output_audio_transcript.done");
        var elapsed = clock.Elapsed;

        // Four seconds of answer (generated at 4x, so in about one) with its whole transcript: known before it could be
        // heard. The bound is the claim itself, faster than real time, which leaves a busy machine three seconds.
        Assert.Equal(4000 * TestAudio.SamplesPerMs * 2, events.AudioBytes("response.output_audio.delta"));
        Assert.True(elapsed < TimeSpan.FromSeconds(4), $"four seconds of answer took {elapsed.TotalMilliseconds:0} ms to arrive");
        var sizes = events.OfType("response.output_audio.delta").Select(d => Convert.FromBase64String(d.Str("delta")).Length).ToList();
        Assert.True(sizes.Distinct().Count() > 3);
        Assert.Contains(sizes.SkipLast(1), bytes => bytes % (20 * TestAudio.SamplesPerMs * 2) != 0); // no frame size to rely on
        var types = events.Select(e => e.Type()).ToList();
        Assert.True(types.IndexOf("response.output_audio_transcript.delta") < types.LastIndexOf("response.output_audio.delta")); // interleaved
    }

    [Fact]
    public async Task RealTimePace_RemainsAvailable()
    {
        await using var server = await Servers.StartAsync(o =>
        {
            o.SpeedFactor = 1;
            o.Pace = ResponsePace.RealTime;
            o.AudioLeadMs = 200;
        });
        var (client, _) = await RealtimeTestClient.StartAsync(server);
        await using var _c = client;
        await ConversationHelpers.AskWithAudioAsync(client, beta: false, speechMs: 1500);

        await client.UntilAsync("response.created");
        var clock = Stopwatch.StartNew();
        await client.UntilAsync("response.output_audio.done");

        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(1000), $"1.5 s of audio, 200 ms ahead of real time, came in {clock.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task UserTranscription_ComesAfterTheAnswerHasStarted()
    {
        await using var server = await Servers.StartAsync(o => o.SpeedFactor = 1);
        var (client, _) = await RealtimeTestClient.StartAsync(server);
        await using var _c = client;
        await client.SendAsync(Turns.ServerVadTurnTests.VadUpdate(ga: true));
        await client.UntilAsync("session.updated");

        await client.AppendAudioAsync(TestAudio.Turn(300, 1000, 400));
        var events = await client.UntilAllAsync("response.done", "conversation.item.input_audio_transcription.completed");

        var types = events.Select(e => e.Type()).ToList();
        Assert.True(types.IndexOf("response.created") < types.IndexOf("conversation.item.input_audio_transcription.delta"));
        var committed = events.OfType("input_audio_buffer.committed").Single();
        Assert.Equal(committed.Str("item_id"), events.OfType("conversation.item.input_audio_transcription.completed").Single().Str("item_id"));
    }

    [Fact]
    public async Task FailedTranscription_IsReportedForTheItem()
    {
        await using var server = await Servers.StartAsync(o => o.Faults.FailTranscriptions = true);
        var (client, _) = await RealtimeTestClient.StartAsync(server);
        await using var _c = client;
        await client.SendAsync(Turns.ServerVadTurnTests.VadUpdate(ga: true));
        await client.UntilAsync("session.updated");

        await client.AppendAudioAsync(TestAudio.Turn(300, 1000, 400));
        var events = await client.UntilAllAsync("response.done", "conversation.item.input_audio_transcription.failed");

        var failed = events.OfType("conversation.item.input_audio_transcription.failed").Single();
        Assert.Equal(events.OfType("input_audio_buffer.committed").Single().Str("item_id"), failed.Str("item_id"));
        Assert.Equal("audio_unintelligible", failed["error"]!.Str("code"));
        Assert.Empty(events.OfType("conversation.item.input_audio_transcription.completed"));
    }

    [Theory]
    [InlineData("insufficient_quota")]
    [InlineData("rate_limit_exceeded")]
    [InlineData("server_error")]
    public async Task FailedResponses_EndWithStatusFailed_AndTheServicesDetails(string code)
    {
        await using var server = await Servers.StartAsync(o =>
        {
            o.Faults.FailResponsesWith = code;
            o.Faults.FailResponsesAfter = 1;
        });
        var (client, _) = await RealtimeTestClient.StartAsync(server);
        await using var _c = client;

        await client.SendAsync(new JsonObject { ["type"] = "response.create" });
        var first = (await client.UntilAsync("response.done")).Last()["response"]!;
        await client.SendAsync(new JsonObject { ["type"] = "response.create" });
        var second = await client.UntilAsync("response.done");

        Assert.Equal("completed", first.Str("status"));
        var response = second.Last()["response"]!;
        Assert.Equal("failed", response.Str("status"));
        Assert.Equal("failed", response["status_details"]!.Str("type"));
        Assert.Equal(code, response["status_details"]!["error"]!.Str("type"));
        Assert.Empty(response["output"]!.AsArray());
        Assert.Empty(second.OfType("response.output_audio.delta"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task RateLimits_AreReportedWithEachResponse(bool beta)
    {
        await using var server = await Servers.StartAsync(beta);
        var (client, _) = await RealtimeTestClient.StartAsync(server, beta);
        await using var _c = client;

        await client.SendAsync(new JsonObject { ["type"] = "response.create" });
        var events = await client.UntilAllAsync("response.done", "rate_limits.updated");
        var types = events.Select(e => e.Type()).ToList();

        // GA reports them once the response is done; the beta service did so as it began.
        var after = beta ? "response.created" : "response.done";
        Assert.Equal(types.IndexOf(after) + 1, types.IndexOf("rate_limits.updated"));
        Assert.Equal(2, events.OfType("rate_limits.updated").Single()["rate_limits"]!.AsArray().Count);
    }

    [Fact]
    public async Task IdleTimeout_TriggersAfterSilence_CommitsIt_AndAnswers_WithAPromptNotAnEcho()
    {
        await using var server = await Servers.StartAsync();
        var (client, _) = await RealtimeTestClient.StartAsync(server);
        await using var _c = client;
        var update = Turns.ServerVadTurnTests.VadUpdate(ga: true, transcription: true);
        update["session"]!["audio"]!["input"]!["turn_detection"]!["idle_timeout_ms"] = 6000;
        await client.SendAsync(update);
        await client.UntilAsync("session.updated");

        await client.AppendAudioAsync(TestAudio.Silence(7000));
        var events = await client.UntilAllAsync("response.done", "conversation.item.input_audio_transcription.completed");

        var timeout = events.OfType("input_audio_buffer.timeout_triggered").Single();
        Assert.Equal(0, timeout.Int("audio_start_ms"));
        Assert.InRange(timeout.Int("audio_end_ms"), 6000, 6100);
        Assert.Equal(timeout.Str("item_id"), events.OfType("input_audio_buffer.committed").Single().Str("item_id"));
        Assert.Equal("completed", events.OfType("response.done").Single()["response"]!.Str("status"));
        // Silence has no words: its transcription completes empty, with no delta; the model prompts the user to go on
        // rather than saying the silence back.
        var transcription = events.OfType("conversation.item.input_audio_transcription.completed").Single();
        Assert.Equal(timeout.Str("item_id"), transcription.Str("item_id"));
        Assert.Equal("", transcription.Str("transcript"));
        Assert.Empty(events.OfType("conversation.item.input_audio_transcription.delta"));
        Assert.Equal(global::V2V.Simulator.Responses.EchoAgent.IdlePrompt, events.OfType("response.output_audio_transcript.done").Single().Str("transcript"));
    }

    [Fact]
    public async Task LongAnswers_ComeAsSeveralOutputItems_EachWithItsOwnAudioAndTranscript()
    {
        await using var server = await Servers.StartAsync(o => o.Script = new Scripting.SimulatorScript
        {
            Responses = [new Scripting.ScriptedResponse { Text = "one two three four five six seven eight nine ten eleven twelve", AudioMs = 12_000 }],
        });
        var (client, _) = await RealtimeTestClient.StartAsync(server);
        await using var _c = client;

        await client.SendAsync(new JsonObject { ["type"] = "response.create" });
        var events = await client.UntilAsync("response.done");

        var output = events.Last()["response"]!["output"]!.AsArray();
        Assert.Equal(3, output.Count);
        var transcripts = events.OfType("response.output_audio_transcript.done").Select(e => e.Str("transcript")).ToList();
        Assert.Equal("one two three four five six seven eight nine ten eleven twelve", string.Join(' ', transcripts));
        for (var index = 0; index < 3; index++)
        {
            var itemId = output[index]!.Str("id");
            var deltas = events.OfType("response.output_audio.delta").Where(d => d.Str("item_id") == itemId).ToList();
            Assert.All(deltas, d => Assert.Equal(index, d.Int("output_index")));
            Assert.Equal(4000 * TestAudio.SamplesPerMs * 2, deltas.Sum(d => Convert.FromBase64String(d.Str("delta")).Length));
        }
    }

    [Fact]
    public async Task Ga_AnnouncesItems_WithAddedAndDone_NeverCreated()
    {
        await using var server = await Servers.StartAsync();
        var (client, _) = await RealtimeTestClient.StartAsync(server);
        await using var _c = client;
        await ConversationHelpers.AskWithAudioAsync(client, beta: false, speechMs: 500);

        var events = await client.UntilAsync("response.done");
        var types = events.Select(e => e.Type()).ToList();

        Assert.DoesNotContain("conversation.item.created", types);
        Assert.Equal(types.IndexOf("input_audio_buffer.committed") + 1, types.IndexOf("conversation.item.added"));
        Assert.Equal(types.IndexOf("response.output_item.added") + 1, types.LastIndexOf("conversation.item.added"));
        Assert.Equal(types.IndexOf("response.output_item.done") + 1, types.LastIndexOf("conversation.item.done"));
    }

    [Fact]
    public async Task Events_AreWrittenAsTheServiceWritesThem_WithoutEscapesJsonDoesNotNeed()
    {
        await using var server = await Servers.StartAsync();
        var (client, _) = await RealtimeTestClient.StartAsync(server);
        await using var _c = client;
        await client.SendAsync(ConversationHelpers.UserText("Lila’s café <&>"));
        await client.SendAsync(new JsonObject { ["type"] = "response.create" });

        await client.UntilAsync("response.done");
        var wire = client.Received.Zip(client.ReceivedText).ToList();
        var audioDeltas = wire.Where(e => e.First.Type() == "response.output_audio.delta").Select(e => e.Second).ToList();
        var transcriptDeltas = wire.Where(e => e.First.Type() == "response.output_audio_transcript.delta").ToList();
        var transcriptDone = wire.Single(e => e.First.Type() == "response.output_audio_transcript.done");

        // The service's base64 carries '+' as it is (recorded GA traffic), not as \u002B.
        Assert.NotEmpty(audioDeltas);
        Assert.Contains(audioDeltas, text => text.Contains('+'));
        Assert.DoesNotContain(client.ReceivedText, text => text.Contains("\\u", StringComparison.Ordinal));
        // Non-ASCII and HTML-sensitive characters as they are; JSON's own escapes still apply.
        Assert.Contains("You said: Lila’s café <&>", transcriptDone.Second, StringComparison.Ordinal);
        Assert.Equal("You said: Lila’s café <&>", transcriptDone.First.Str("transcript"));
        // GA pads each transcript delta with random characters so its size does not tell its text.
        Assert.NotEmpty(transcriptDeltas);
        Assert.All(transcriptDeltas, e => Assert.False(string.IsNullOrEmpty(e.First.Str("obfuscation"))));
    }
}
