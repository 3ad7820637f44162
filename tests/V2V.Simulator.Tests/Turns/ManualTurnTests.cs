using System.Text.Json.Nodes;
using V2V.Simulator.Tests.Support;

namespace V2V.Simulator.Tests.Turns;

public sealed class ManualTurnTests
{
    [Fact]
    public async Task TurnDetectionNull_ClientCommitsAndAsks_AndGetsTheWholeBufferBack()
    {
        // Beta is spoken only by the azure-preview profile (OpenAI retired it): the server runs that profile.
        await using var server = await Servers.StartAsync(beta: true);
        var (client, _) = await RealtimeTestClient.StartAsync(server, beta: true);
        await using var _c = client;
        await client.SendRawAsync("""{"type":"session.update","session":{"turn_detection":null}}""");
        await client.UntilAsync("session.updated");

        var audio = TestAudio.Turn(100, 700, 100);
        await client.AppendAudioAsync(audio);
        await client.SendAsync(new JsonObject { ["type"] = "input_audio_buffer.commit" });
        var committed = await client.UntilAsync("conversation.item.created");
        Assert.DoesNotContain(committed, e => e.Type().StartsWith("input_audio_buffer.speech", StringComparison.Ordinal));
        Assert.Equal(committed.OfType("input_audio_buffer.committed").Single().Str("item_id"), committed.Last()["item"]!.Str("id"));

        await client.SendAsync(new JsonObject { ["type"] = "response.create" });
        var response = await client.UntilAsync("response.done");

        Assert.Equal(audio.Length, response.AudioBytes("response.audio.delta"));
        Assert.Equal("completed", response.Last()["response"]!.Str("status"));
    }

    [Fact]
    public async Task CommitOfAnAlmostEmptyBuffer_GetsOpenAisError()
    {
        await using var server = await Servers.StartAsync();
        var (client, _) = await RealtimeTestClient.StartAsync(server);
        await using var _c = client;

        await client.AppendAudioAsync(TestAudio.Silence(50));
        await client.SendRawAsync("""{"type":"input_audio_buffer.commit","event_id":"c1"}""");
        var error = (await client.NextAsync())["error"]!;

        Assert.Equal("input_audio_buffer_commit_empty", error.Str("code"));
        Assert.Equal("c1", error.Str("event_id"));
        Assert.Contains("Expected at least 100ms", error.Str("message"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task G711Ulaw_InAndOut_IsEchoedInTheSameFormat()
    {
        // Beta is spoken only by the azure-preview profile (OpenAI retired it): the server runs that profile.
        await using var server = await Servers.StartAsync(beta: true);
        var (client, _) = await RealtimeTestClient.StartAsync(server, beta: true);
        await using var _c = client;
        await client.SendRawAsync("""{"type":"session.update","session":{"turn_detection":null,"input_audio_format":"g711_ulaw","output_audio_format":"g711_ulaw"}}""");
        await client.UntilAsync("session.updated");

        var ulaw = new byte[8 * 600]; // 600 ms at 8 kHz, one byte a sample
        for (var i = 0; i < ulaw.Length; i++)
        {
            ulaw[i] = V2V.Audio.MuLaw.Encode((short)(8000 * Math.Sin(2 * Math.PI * 300 * i / 8000.0)));
        }

        await client.AppendAudioAsync(ulaw, chunkBytes: 800);
        await client.SendAsync(new JsonObject { ["type"] = "input_audio_buffer.commit" });
        await client.SendAsync(new JsonObject { ["type"] = "response.create" });
        var events = await client.UntilAsync("response.done");

        Assert.Equal(ulaw.Length, events.AudioBytes("response.audio.delta"));
    }

    [Fact]
    public async Task ACommitSentRightBehindACreate_IsAcknowledgedAfterResponseCreated()
    {
        // The service reads a session's client events in order and says response.created as it reads the create: a
        // commit sent right behind it is acknowledged after response.created, and its audio is the next turn's. A client
        // that numbers the user's turns by these events (which turns a response answers) must be able to trust the order.
        await using var server = await Servers.StartAsync();
        var (client, _) = await RealtimeTestClient.StartAsync(server);
        await using var _c = client;
        await client.SendRawAsync("""{"type":"session.update","session":{"type":"realtime","audio":{"input":{"turn_detection":null}}}}""");
        await client.UntilAsync("session.updated");
        await client.AppendAudioAsync(TestAudio.Turn(100, 700, 100));
        await client.SendAsync(new JsonObject { ["type"] = "input_audio_buffer.commit" });
        await client.UntilAsync("input_audio_buffer.committed");

        for (var round = 0; round < 20; round++)
        {
            // The next turn's audio, then the create for the last one and, right behind it, the commit of this one.
            await client.AppendAudioAsync(TestAudio.Turn(100, 300, 100));
            await client.SendAsync(new JsonObject { ["type"] = "response.create" });
            await client.SendAsync(new JsonObject { ["type"] = "input_audio_buffer.commit" });
            // The commit is read while the response streams: its acknowledgement may come before response.done or after.
            var events = await client.UntilAllAsync("response.done", "input_audio_buffer.committed");
            var created = events.FindIndex(e => e.Type() == "response.created");
            var committed = events.FindIndex(e => e.Type() == "input_audio_buffer.committed");
            Assert.True(created >= 0 && committed > created, $"round {round}: response.created at {created}, the commit behind it acknowledged at {committed}");
        }
    }
}
