using System.Text.Json.Nodes;
using V2V.Simulator.Tests.Support;

namespace V2V.Simulator.Tests.Responses;

public sealed class CancelAndBargeInTests
{
    /// <summary>A 3 s echo generated at 1.5x real time: about 2 s in progress, time enough to act on it.</summary>
    private static void SlowGeneration(LocalRealtimeServerOptions o)
    {
        o.SpeedFactor = 1;
        o.GenerationSpeed = 1.5;
    }

    [Fact]
    public async Task ResponseCancel_TakesEffectAfterTheServiceDelay_ThenClosesTheItem_InTheServiceOrder()
    {
        await using var server = await Servers.StartAsync(SlowGeneration);
        var (client, _) = await RealtimeTestClient.StartAsync(server);
        await using var _c = client;
        await ConversationHelpers.AskWithAudioAsync(client, beta: false, speechMs: 3000);
        var first = await client.UntilAsync("response.output_audio.delta");
        var responseId = first.OfType("response.created").Single()["response"]!.Str("id");

        await client.SendAsync(new JsonObject { ["type"] = "response.cancel" });
        var afterCancel = await client.UntilAllAsync("response.done", "rate_limits.updated");
        await client.SendAsync(new JsonObject { ["type"] = "input_audio_buffer.clear" });
        var next = await client.NextAsync();

        var closing = afterCancel.Select(e => e.Type()).SkipWhile(t => t.EndsWith(".delta", StringComparison.Ordinal)).ToList();
        Assert.Equal(
        [
            "response.output_audio.done", "response.output_audio_transcript.done", "response.content_part.done",
            "response.output_item.done", "conversation.item.done", "response.done", "rate_limits.updated",
        ], closing);
        var done = afterCancel.OfType("response.done").Single()["response"]!;
        Assert.Equal(responseId, done.Str("id"));
        Assert.Equal("cancelled", done.Str("status"));
        Assert.Equal("client_cancelled", done["status_details"]!.Str("reason"));
        Assert.Equal("incomplete", done["output"]![0]!.Str("status"));
        Assert.Equal("incomplete", afterCancel.OfType("response.output_item.done").Single()["item"]!.Str("status"));

        // The item's transcript is what was sent before the cancel, no more.
        var sentText = string.Concat(first.Concat(afterCancel).OfType("response.output_audio_transcript.delta").Select(e => e.Str("delta")));
        Assert.Equal(sentText, afterCancel.OfType("response.output_audio_transcript.done").Single().Str("transcript"));
        Assert.Equal("input_audio_buffer.cleared", next.Type()); // nothing of the response after response.done
    }

    [Fact]
    public async Task ResponseCreate_RightAfterACancel_IsRefused_UntilTheCancelledResponseIsDone()
    {
        // The fault users of realtime clients report most: the cancelled response is still active for a moment.
        await using var server = await Servers.StartAsync(o =>
        {
            SlowGeneration(o);
            o.CancelDelay = TimeSpan.FromSeconds(1);
        });
        var (client, _) = await RealtimeTestClient.StartAsync(server);
        await using var _c = client;
        await ConversationHelpers.AskWithAudioAsync(client, beta: false, speechMs: 3000);
        await client.UntilAsync("response.output_audio.delta");

        await client.SendRawAsync("""{"type":"response.cancel","event_id":"c1"}""");
        await client.SendRawAsync("""{"type":"response.create","event_id":"c2"}""");
        var events = await client.UntilAsync("response.done");

        var error = events.OfType("error").Single()["error"]!;
        Assert.Equal("conversation_already_has_active_response", error.Str("code"));
        Assert.Equal("c2", error.Str("event_id"));
        Assert.Equal("cancelled", events.Last()["response"]!.Str("status"));
        Assert.Contains(events.SkipWhile(e => e.Type() != "error"), e => e.Type() == "response.output_audio.delta"); // deltas still came

        // Once response.done has come, a new response is accepted.
        await client.SendAsync(new JsonObject { ["type"] = "response.create" });
        Assert.Single((await client.UntilAsync("response.created")).OfType("response.created"));
    }

    [Fact]
    public async Task ATruncate_WhileTheCancelledResponseStillSends_EndsTheItemThere_ItsLaterDeltasDoNotGrowIt()
    {
        // A barge-in sends the cancel and the truncate together; deltas keep coming until the cancel takes effect. The
        // conversation keeps the item as truncated: no audio past the cut, no transcript grown back.
        await using var server = await Servers.StartAsync(o =>
        {
            SlowGeneration(o);
            o.CancelDelay = TimeSpan.FromSeconds(1);
            o.ItemAudioShortfallMs = 0; // the first delta's audio may be shorter than what the service holds back
        });
        var (client, _) = await RealtimeTestClient.StartAsync(server);
        await using var _c = client;
        await ConversationHelpers.AskWithAudioAsync(client, beta: false, speechMs: 3000);
        var itemId = (await client.UntilAsync("response.output_audio.delta")).Last().Str("item_id");

        await client.SendAsync(new JsonObject { ["type"] = "response.cancel" });
        await client.SendAsync(new JsonObject { ["type"] = "conversation.item.truncate", ["item_id"] = itemId, ["content_index"] = 0, ["audio_end_ms"] = 10 });
        var events = await client.UntilAllAsync("response.done", "rate_limits.updated");
        Assert.Contains(events.SkipWhile(e => e.Type() != "conversation.item.truncated"), e => e.Type() == "response.output_audio_transcript.delta");

        await client.SendAsync(new JsonObject { ["type"] = "conversation.item.retrieve", ["item_id"] = itemId });
        Assert.Equal(string.Empty, (await client.NextAsync())["item"]!["content"]![0]!.Str("transcript"));
        await client.SendAsync(new JsonObject { ["type"] = "conversation.item.truncate", ["item_id"] = itemId, ["content_index"] = 0, ["audio_end_ms"] = 11 });
        Assert.Equal("Audio content of 10ms is already shorter than 11ms", (await client.NextAsync())["error"]!.Str("message"));
    }

    [Fact]
    public async Task CancelWithoutResponse_GetsOpenAisError()
    {
        await using var server = await Servers.StartAsync();
        var (client, _) = await RealtimeTestClient.StartAsync(server);
        await using var _c = client;

        await client.SendRawAsync("""{"type":"response.cancel","event_id":"x9"}""");
        var error = (await client.NextAsync())["error"]!;

        Assert.Equal("response_cancel_not_active", error.Str("code"));
        Assert.Equal("x9", error.Str("event_id"));
    }

    [Fact]
    public async Task CancelAfterTheAnswerWasSent_GetsOpenAisError_ThoughTheClientMayStillBePlayingIt()
    {
        // Answers arrive faster than real time: a barge-in usually comes after response.done, when only a truncate helps.
        await using var server = await Servers.StartAsync();
        var (client, _) = await RealtimeTestClient.StartAsync(server);
        await using var _c = client;
        await ConversationHelpers.AskWithAudioAsync(client, beta: false, speechMs: 2000);
        await client.UntilAllAsync("response.done", "rate_limits.updated");

        await client.SendRawAsync("""{"type":"response.cancel","event_id":"late"}""");
        var error = (await client.NextAsync())["error"]!;

        Assert.Equal("response_cancel_not_active", error.Str("code"));
        Assert.Equal("late", error.Str("event_id"));
    }

    [Fact]
    public async Task SecondResponseCreate_WhileOneIsActive_IsRefused()
    {
        await using var server = await Servers.StartAsync(SlowGeneration);
        var (client, _) = await RealtimeTestClient.StartAsync(server);
        await using var _c = client;
        await ConversationHelpers.AskWithAudioAsync(client, beta: false, speechMs: 3000);
        await client.UntilAsync("response.output_audio.delta");

        await client.SendAsync(new JsonObject { ["type"] = "response.create" });
        var events = await client.UntilAsync("error");

        Assert.Equal("conversation_already_has_active_response", events.Last()["error"]!.Str("code"));
    }

    [Fact]
    public async Task SpeechDuringAResponse_CancelsIt_TurnDetected_ClosingTheItem()
    {
        await using var server = await Servers.StartAsync(SlowGeneration);
        var (client, _) = await RealtimeTestClient.StartAsync(server);
        await using var _c = client;
        await client.SendAsync(Turns.ServerVadTurnTests.VadUpdate(ga: true, transcription: false));
        await client.UntilAsync("session.updated");

        await client.AppendAudioAsync(TestAudio.Turn(300, 3000, 300));
        await client.UntilAsync("response.output_audio.delta");
        await client.AppendAudioAsync(TestAudio.Turn(0, 200, 0));
        var events = await client.UntilAsync("response.done");

        var types = events.Select(e => e.Type()).ToList();
        Assert.True(types.IndexOf("input_audio_buffer.speech_started") < types.IndexOf("response.output_item.done"));
        Assert.True(types.IndexOf("response.output_item.done") < types.IndexOf("response.done"));
        var response = events.Last()["response"]!;
        Assert.Equal("cancelled", response.Str("status"));
        Assert.Equal("turn_detected", response["status_details"]!.Str("reason"));
    }

    [Theory]
    [InlineData("""{"max_output_tokens":5000}""", "integer_above_max_value", "response.max_output_tokens")]
    [InlineData("""{"max_output_tokens":0}""", "integer_below_min_value", "response.max_output_tokens")]
    [InlineData("""{"output_modalities":["audio","text"]}""", "invalid_value", "response.output_modalities")]
    public async Task ResponseCreate_OutOfTheServicesLimits_IsRefused_AndNoResponseStarts(string response, string code, string param)
    {
        await using var server = await Servers.StartAsync();
        var (client, _) = await RealtimeTestClient.StartAsync(server);
        await using var _c = client;

        await client.SendRawAsync("""{"type":"response.create","event_id":"m1","response":RESPONSE}""".Replace("RESPONSE", response, StringComparison.Ordinal));
        var error = (await client.NextAsync())["error"]!;
        await client.SendAsync(new JsonObject { ["type"] = "input_audio_buffer.clear" });

        Assert.Equal(code, error.Str("code"));
        Assert.Equal(param, error.Str("param"));
        Assert.Equal("m1", error.Str("event_id"));
        Assert.Equal("input_audio_buffer.cleared", (await client.NextAsync()).Type());
    }
}
