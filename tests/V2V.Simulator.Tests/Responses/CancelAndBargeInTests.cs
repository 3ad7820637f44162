using System.Text.Json.Nodes;
using V2V.Simulator.Tests.Support;

namespace V2V.Simulator.Tests.Responses;

public sealed class CancelAndBargeInTests
{
    [Fact]
    public async Task ResponseCancel_EndsTheResponseCancelled_AndNothingOfItFollows()
    {
        // Real-time pacing keeps the 3 s response in progress while the test cancels it.
        await using var server = await Servers.StartAsync(o => o.SpeedFactor = 1);
        var (client, _) = await RealtimeTestClient.StartAsync(server);
        await using var _c = client;
        await ConversationHelpers.AskWithAudioAsync(client, beta: false, speechMs: 3000);
        var first = await client.UntilAsync("response.output_audio.delta");
        var responseId = first.OfType("response.created").Single()["response"]!.Str("id");

        await client.SendAsync(new JsonObject { ["type"] = "response.cancel" });
        var done = (await client.UntilAsync("response.done")).Last()["response"]!;
        await client.SendAsync(new JsonObject { ["type"] = "input_audio_buffer.clear" });
        var next = await client.NextAsync();

        Assert.Equal(responseId, done.Str("id"));
        Assert.Equal("cancelled", done.Str("status"));
        Assert.Equal("client_cancelled", done["status_details"]!.Str("reason"));
        Assert.Equal("incomplete", done["output"]![0]!.Str("status"));
        Assert.Equal("input_audio_buffer.cleared", next.Type()); // no delta after response.done
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
    public async Task SecondResponseCreate_WhileOneIsActive_IsRefused()
    {
        await using var server = await Servers.StartAsync(o => o.SpeedFactor = 1);
        var (client, _) = await RealtimeTestClient.StartAsync(server);
        await using var _c = client;
        await ConversationHelpers.AskWithAudioAsync(client, beta: false, speechMs: 3000);
        await client.UntilAsync("response.output_audio.delta");

        await client.SendAsync(new JsonObject { ["type"] = "response.create" });
        var events = await client.UntilAsync("error");

        Assert.Equal("conversation_already_has_active_response", events.Last()["error"]!.Str("code"));
    }

    [Fact]
    public async Task SpeechDuringAResponse_CancelsIt_TurnDetected()
    {
        // Beta is spoken only by the azure-preview profile (OpenAI retired it): the server runs that profile.
        await using var server = await Servers.StartAsync(beta: true, o => o.SpeedFactor = 1);
        var (client, _) = await RealtimeTestClient.StartAsync(server, beta: true);
        await using var _c = client;
        await client.SendAsync(Turns.ServerVadTurnTests.VadUpdate(ga: false, transcription: false));
        await client.UntilAsync("session.updated");

        await client.AppendAudioAsync(TestAudio.Turn(300, 3000, 300));
        await client.UntilAsync("response.audio.delta");
        await client.AppendAudioAsync(TestAudio.Turn(0, 200, 0));
        var events = await client.UntilAsync("response.done");

        var types = events.Select(e => e.Type()).ToList();
        Assert.True(types.IndexOf("input_audio_buffer.speech_started") < types.IndexOf("response.done"));
        var response = events.Last()["response"]!;
        Assert.Equal("cancelled", response.Str("status"));
        Assert.Equal("turn_detected", response["status_details"]!.Str("reason"));
    }
}
