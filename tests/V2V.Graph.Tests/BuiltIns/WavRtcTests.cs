using System.Text.Json;
using System.Text.Json.Nodes;
using V2V.Audio;
using V2V.Graph.BuiltIns;
using V2V.Graph.Tests.Support;
using V2V.Ten.Messages;

namespace V2V.Graph.Tests.BuiltIns;

/// <summary>
/// wav_rtc in the place TEN's agora_rtc has in a graph: the user's audio out to the agent, the agent's audio back in,
/// flush and the collector's data from the agent, on_user_joined and on_user_left to it.
/// </summary>
public sealed class WavRtcTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Graph(TempDirectory dir) => $$"""
        { "nodes": [
            { "name": "rtc", "addon": "wav_rtc", "property": {
                "input_path": "{{dir.File("in.wav")}}", "output_path": "{{dir.File("out/answer.wav")}}", "data_path": "{{dir.File("out/messages.jsonl")}}",
                "realtime": false, "trailing_silence_ms": 0, "leave_after_quiet_ms": 0 } },
            { "name": "agent", "addon": "probe" },
            { "name": "voice", "addon": "echo" } ],
          "connections": [
            { "extension": "rtc",
              "cmd": [ { "name": "on_user_joined", "dest": [ { "extension": "agent" } ] }, { "name": "on_user_left", "dest": [ { "extension": "agent" } ] } ],
              "audio_frame": [ { "name": "pcm_frame", "dest": [ { "extension": "voice" } ] } ] },
            { "extension": "voice", "audio_frame": [ { "name": "pcm_frame", "dest": [ { "extension": "rtc" } ] } ] },
            { "extension": "agent",
              "cmd": [ { "name": "flush", "dest": [ { "extension": "rtc" } ] } ],
              "data": [ { "name": "data", "dest": [ { "extension": "rtc" } ] } ] } ] }
        """;

    [Fact]
    public async Task PlaysTheInput_RecordsTheAnswer_KeepsTheCollectorsMessages_AndLeaves()
    {
        using var dir = new TempDirectory();
        var random = new Random(7);
        var samples = Enumerable.Range(0, 16000).Select(_ => (short)random.Next(short.MinValue, short.MaxValue + 1)).ToArray();
        using (var writer = WavWriter.Create(dir.File("in.wav"), 16000, 1))
        {
            writer.Write(samples);
        }
        var journal = new Journal();
        var graph = await TestGraph.StartAsync(Graph(dir), journal);
        var agent = await graph.Get<Probe>("agent").Env;

        // A turn long enough to take several chunks, a chunk that is not one (ignored), and a barge-in.
        var turn = new JsonObject { ["is_final"] = true, ["stream_id"] = 0, ["text"] = new string('a', 3000), ["role"] = "assistant" };
        foreach (var part in CollectorChunks.Split("m1", turn).Append("not a chunk"))
        {
            var data = new DataMessage("data");
            data.Set("data", part);
            await agent.SendDataAsync(data, Ct);
        }
        Assert.Equal(StatusCode.Ok, (await agent.SendCmdAsync(new Cmd("flush"), Ct)).Status);
        await graph.WaitForCompletionAsync(TimeSpan.FromMilliseconds(50), Ct);
        await graph.StopAsync(Ct);

        var cmds = graph.Get<Probe>("agent").Received.OfType<Cmd>().Select(c => c.Name).ToList();
        Assert.Equal(["on_user_joined", "on_user_left"], cmds);
        var answer = WavReader.ReadFile(dir.File("out/answer.wav"));
        Assert.Equal(samples, answer.Samples);
        var rtc = graph.Get<WavRtc>("rtc");
        Assert.Equal(1, rtc.Flushes);
        var line = Assert.Single(File.ReadAllLines(dir.File("out/messages.jsonl")));
        var message = JsonDocument.Parse(line).RootElement;
        Assert.Equal(new string('a', 3000), message.GetProperty("text").GetString());
        Assert.Equal("assistant", message.GetProperty("role").GetString());
    }

    [Fact]
    public async Task WithoutAnInput_TheGraphIsRefused_NamingTheProperty()
    {
        var ex = await Assert.ThrowsAsync<GraphValidationException>(() => TestGraph.StartAsync(
            """{ "nodes": [ { "name": "rtc", "addon": "wav_rtc" } ], "connections": [] }""", new Journal()));

        Assert.Contains(ex.Problems, p => p.Contains("input_path", StringComparison.Ordinal));
    }
}
