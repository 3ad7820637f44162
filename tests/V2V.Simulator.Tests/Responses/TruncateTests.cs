using System.Text.Json.Nodes;
using V2V.Simulator.Tests.Support;

namespace V2V.Simulator.Tests.Responses;

public sealed class TruncateTests
{
    private static async Task<(RealtimeTestClient Client, string ItemId, string Transcript)> AnsweredAsync(LocalRealtimeServer server)
    {
        var (client, _) = await RealtimeTestClient.StartAsync(server);
        await ConversationHelpers.AskWithAudioAsync(client, beta: false, speechMs: 1500);
        var events = await client.UntilAllAsync("response.done", "rate_limits.updated");
        var item = events.OfType("response.done").Single()["response"]!["output"]![0]!;
        return (client, item.Str("id"), item["content"]![0]!.Str("transcript"));
    }

    [Fact]
    public async Task ValidTruncate_TrimsTheAudio_AndDeletesTheTranscript_AsTheServiceDoes()
    {
        await using var server = await Servers.StartAsync();
        var (client, itemId, transcript) = await AnsweredAsync(server);
        await using var _c = client;

        await client.SendAsync(new JsonObject { ["type"] = "conversation.item.truncate", ["item_id"] = itemId, ["content_index"] = 0, ["audio_end_ms"] = 500 });
        var truncated = await client.NextAsync();
        await client.SendAsync(new JsonObject { ["type"] = "conversation.item.retrieve", ["item_id"] = itemId });
        var retrieved = await client.NextAsync();

        Assert.Equal("conversation.item.truncated", truncated.Type());
        Assert.Equal(500, truncated.Int("audio_end_ms"));
        // "Truncating audio will delete the server-side text transcript": no text the user may not have heard.
        Assert.NotEmpty(transcript);
        Assert.Equal(string.Empty, retrieved["item"]!["content"]![0]!.Str("transcript"));

        // The audio is now 500 ms long: truncating past it is refused.
        await client.SendAsync(new JsonObject { ["type"] = "conversation.item.truncate", ["item_id"] = itemId, ["content_index"] = 0, ["audio_end_ms"] = 800 });
        Assert.Equal("Audio content of 500ms is already shorter than 800ms", (await client.NextAsync())["error"]!.Str("message"));
    }

    [Fact]
    public async Task TruncateBeyondTheAudio_GetsOpenAisError()
    {
        await using var server = await Servers.StartAsync();
        var (client, itemId, _) = await AnsweredAsync(server);
        await using var _c = client;

        await client.SendRawAsync($$"""{"type":"conversation.item.truncate","event_id":"t1","item_id":"{{itemId}}","content_index":0,"audio_end_ms":5000}""");
        var error = (await client.NextAsync())["error"]!;

        Assert.Equal("invalid_request_error", error.Str("type"));
        // 1500 ms were sent; the service holds 85 ms less (pipecat-ai/pipecat#1963: "6100ms is already shorter than 6185ms").
        Assert.Equal("Audio content of 1415ms is already shorter than 5000ms", error.Str("message"));
        Assert.Equal("t1", error.Str("event_id"));
    }

    [Fact]
    public async Task TruncateAtTheEndOfTheAudioReceived_IsRefused_85msBeforeItIsNot()
    {
        await using var server = await Servers.StartAsync();
        var (client, itemId, _) = await AnsweredAsync(server);
        await using var _c = client;

        await client.SendRawAsync($$"""{"type":"conversation.item.truncate","item_id":"{{itemId}}","content_index":0,"audio_end_ms":1500}""");
        Assert.Equal("Audio content of 1415ms is already shorter than 1500ms", (await client.NextAsync())["error"]!.Str("message"));
        await client.SendRawAsync($$"""{"type":"conversation.item.truncate","item_id":"{{itemId}}","content_index":0,"audio_end_ms":1415}""");
        Assert.Equal("conversation.item.truncated", (await client.NextAsync()).Type());
    }

    [Fact]
    public async Task TruncateOfAnUnknownItem_GetsAnError()
    {
        await using var server = await Servers.StartAsync();
        var (client, _) = await RealtimeTestClient.StartAsync(server);
        await using var _c = client;

        await client.SendRawAsync("""{"type":"conversation.item.truncate","item_id":"item_nope","content_index":0,"audio_end_ms":10}""");
        var error = (await client.NextAsync())["error"]!;

        Assert.Equal("item_not_found", error.Str("code"));
        Assert.Equal("item_id", error.Str("param"));
    }

    [Fact]
    public async Task TruncateOfAnItemWithoutAudio_GetsInvalidValue_NamingTheClientsEvent()
    {
        await using var server = await Servers.StartAsync();
        var (client, _) = await RealtimeTestClient.StartAsync(server);
        await using var _c = client;
        await client.SendAsync(new JsonObject { ["type"] = "response.create", ["response"] = new JsonObject { ["output_modalities"] = new JsonArray("text") } });
        var itemId = (await client.UntilAsync("response.done")).Last()["response"]!["output"]![0]!.Str("id");

        await client.SendRawAsync($$"""{"type":"conversation.item.truncate","event_id":"t2","item_id":"{{itemId}}","content_index":0,"audio_end_ms":0}""");
        var error = (await client.UntilAsync("error")).Last()["error"]!;

        Assert.Equal("invalid_value", error.Str("code"));
        Assert.Equal("t2", error.Str("event_id"));
    }
}
