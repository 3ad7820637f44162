using System.Text.Json;
using System.Text.Json.Nodes;
using V2V.Graph;
using V2V.Graph.BuiltIns;
using V2V.Graph.Definition;
using V2V.Graph.Hosting;
using V2V.Extension.Tests.Support;
using V2V.Testing;
using V2V.Ten;
using V2V.Ten.Messages;

namespace V2V.Extension.Tests;

/// <summary>openai_v2v in real graphs, over loopback WebSockets to the local realtime server.</summary>
public sealed class GraphTests
{
    private static JsonObject V2VProperties(string dialect = "ga", bool audioOut = true, bool paced = false) => new()
    {
        ["api_key"] = "",
        ["dialect"] = dialect,
        ["input_transcript"] = true,
        ["audio_out"] = audioOut,
        ["pace_output"] = paced,
        ["stream_id"] = 9,
        ["greet_on_join"] = false,
    };

    [Theory]
    [InlineData(16000, 1, "ga")]
    [InlineData(48000, 2, "ga")]
    [InlineData(16000, 1, "beta")]
    [InlineData(48000, 2, "beta")]
    public async Task SpokenQuestionWav_GoesThroughTheGraph_AndComesBackAsAudioAndTranscripts(int rate, int channels, string dialect)
    {
        var folder = Directory.CreateTempSubdirectory("v2v-wav-").FullName;
        var wav = Speech.WriteWav(Path.Combine(folder, "question.wav"), "What is the weather in Paris today?", rate, channels);
        await using var harness = await GraphHarness.StartAsync(wav, V2VProperties(dialect));

        // The user's transcription comes asynchronously, as on the service, in no set order with the answer: wait for
        // both, and for the collector (another node) to have written the user's line too.
        var transcript = Path.Combine(harness.Folder, "transcript.jsonl");
        await harness.WaitForAsync(p => GraphHarness.AssistantTurnsClosed(p, 1) && p.Texts.Any(t => t.GetString("role") == "user"), "the answer and the user's transcription");
        await harness.WaitForAsync(_ => File.ReadAllText(transcript).Contains("\"role\":\"user\"", StringComparison.Ordinal), "the user's line in transcript.jsonl");

        var frames = harness.Probe.Frames.ToList();
        Assert.NotEmpty(frames);
        Assert.All(frames, f => Assert.Equal((24000, 1, 9L), (f.SampleRate, f.Channels, f.GetInt64("stream_id")!.Value)));
        var answerSeconds = frames.Sum(f => f.Duration.TotalSeconds);
        Assert.InRange(answerSeconds, Speech.Say("What is the weather in Paris today?").Duration.TotalSeconds * 0.8, 6);

        var texts = harness.Probe.Texts.ToList();
        var user = Assert.Single(texts, t => t.GetString("role") == "user");
        Assert.Equal((true, true, 77L), (user.GetBool("is_final")!.Value, user.GetBool("end_of_segment")!.Value, user.GetInt64("stream_id")!.Value));
        var assistant = texts.Where(t => t.GetString("role") == "assistant").ToList();
        Assert.Contains("seconds of your speech", string.Concat(assistant.Select(t => t.GetString("text"))), StringComparison.Ordinal);
        Assert.All(assistant, t => Assert.Equal(9L, t.GetInt64("stream_id")));
        Assert.True(assistant[^1].GetBool("end_of_segment"));
        // The message collector shows each whole turn: the user's (stream 77) and the agent's (stream 9).
        var collected = MessageCollectorModel.FinalMessages(texts);
        Assert.Contains((77L, user.GetString("text")!), collected);
        Assert.Contains((9L, string.Concat(assistant.Select(t => t.GetString("text")))), collected);

        Assert.Contains(File.ReadAllLines(transcript), l => l.Contains("\"role\":\"user\"", StringComparison.Ordinal));
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task BargeIn_GivesFlushCancelAndTruncateAtTheAudioDelivered()
    {
        var folder = Directory.CreateTempSubdirectory("v2v-wav-").FullName;
        var question = Speech.Pcm16("Tell me everything about the history of the sea and its ships.", 16000, 1, 300, 1500);
        var interruption = Speech.Pcm16("Wait, stop.", 16000, 1, 0, 1500);
        var wav = Path.Combine(folder, "barge-in.wav");
        using (var writer = global::V2V.Audio.WavWriter.Create(wav, 16000))
        {
            writer.Write(global::V2V.Audio.Pcm16.AsSamples(question));
            writer.Write(global::V2V.Audio.Pcm16.AsSamples(interruption));
        }
        // Real time everywhere: the source speaks at its pace, the server answers at the service's pace (the whole
        // answer long before it is heard), the voice is paced out.
        await using var harness = await GraphHarness.StartAsync(wav, V2VProperties(paced: true), speed: 1, realtimeSource: true);

        await harness.WaitForAsync(p => p.Received.OfType<Cmd>().Any(c => c.Name == "flush")
            && p.Texts.Any(t => t.GetString("role") == "assistant" && t.GetBool("is_final") == true && t.GetBool("interrupted") != true),
            "the barge-in and the answer after it", guardSeconds: 90);

        var flush = Assert.Single(harness.Probe.Received.OfType<Cmd>(), c => c.Name == "flush");
        var truncate = Assert.Single(harness.Sent("conversation.item.truncate"));
        Assert.True(harness.Sent("response.cancel").Count <= 1); // none when the answer had all arrived, as it usually has
        var item = truncate.GetProperty("item_id").GetString();
        Assert.Equal(item, flush.GetString("item_id"));
        var delivered = harness.Probe.Frames.Where(f => f.GetString("item_id") == item).ToList();
        var deliveredMs = delivered.Sum(f => f.Duration.TotalMilliseconds);
        Assert.True(deliveredMs > 100, $"some of the answer was heard before the barge-in ({deliveredMs} ms)");
        Assert.InRange(truncate.GetProperty("audio_end_ms").GetInt32(), deliveredMs - 10, deliveredMs + 10);
        Assert.Equal(delivered.Max(f => f.EndMs), deliveredMs, 1.0);

        // As TEN's message collector groups the agent's pieces (up to each end_of_segment), no turn is an empty
        // message: a turn cut before any of its words went out sends no closing piece (the flush said it), and the
        // first turn that closes is the interrupted one only when some of its words had gone out.
        var turns = GraphHarness.AssistantTurns(harness.Probe);
        Assert.All(turns, t => Assert.False(string.IsNullOrWhiteSpace(t.Text), "an empty agent message"));
        Assert.Equal(turns[0].Interrupted, turns.Count > 1);
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task ToolCall_RoundTripsThroughTheTimeTool()
    {
        await using var harness = await GraphHarness.StartAsync(null, V2VProperties(audioOut: false), textSource: "get_current_time Europe/Paris");
        // The user speaks once the agent is set up: the server has the tool (the time node registers it as it starts).
        await harness.WaitForSentAsync("session.update", e => e.GetRawText().Contains(TimeTool.ToolName, StringComparison.Ordinal), "the time tool");
        await harness.Text!.SayAsync(TestContext.Current.CancellationToken);

        await harness.WaitForAsync(p => p.Texts.Any(t => (t.GetString("text") ?? "").Contains("returned", StringComparison.Ordinal)), "the answer with the tool's output");

        var answer = string.Concat(harness.Probe.Texts.Where(t => t.GetString("role") == "assistant").Select(t => t.GetString("text")));
        Assert.Contains("Europe/Paris", answer, StringComparison.Ordinal);
        Assert.Contains("local_time", answer, StringComparison.Ordinal);
        var output = Assert.Single(harness.Sent("conversation.item.create"), e => e.GetProperty("item").GetProperty("type").GetString() == "function_call_output");
        using var result = JsonDocument.Parse(output.GetProperty("item").GetProperty("output").GetString()!);
        Assert.True(DateTimeOffset.TryParse(result.RootElement.GetProperty("local_time").GetString(), out _));
    }

    [Theory]
    [InlineData("sample_rate", "96000", "sample_rate")]
    [InlineData("vendor", "\"aws\"", "vendor")]
    [InlineData("temperature", "\"hot\"", "temperature")]
    [InlineData("base_uri", "\"ws://example.com\"", "base_uri")]
    [InlineData("dialect", "\"v2\"", "dialect")]
    [InlineData("input_quiet_dbfs", "3.5", "input_quiet_dbfs")]
    [InlineData("input_chunk_ms", "5", "input_chunk_ms")]
    [InlineData("vad_type", "\"loud\"", "vad_type")]
    [InlineData("vad_eagerness", "\"eager\"", "vad_eagerness")]
    [InlineData("idle_timeout_ms", "2000", "idle_timeout_ms")]
    [InlineData("speed", "3", "speed")]
    [InlineData("reasoning_effort", "\"maximal\"", "reasoning_effort")]
    [InlineData("parallel_tool_calls", "\"sometimes\"", "parallel_tool_calls")]
    [InlineData("truncation_token_limit", "8000", "truncation_token_limit")]
    public async Task BadProperty_IsRefused_WithAMessageNamingIt(string property, string value, string named)
    {
        var v2v = V2VProperties();
        v2v[property] = JsonNode.Parse(value);
        v2v["api_key"] = "sk-test-not-used";
        var graph = GraphJson.Parse(new JsonObject
        {
            ["nodes"] = new JsonArray(new JsonObject { ["type"] = "extension", ["name"] = "v2v", ["addon"] = "openai_v2v", ["property"] = v2v }),
            ["connections"] = new JsonArray(),
        }.ToJsonString());
        var host = new GraphHost(new AddonRegistry().AddBuiltIns().Add(OpenAIV2VAddon.Create()));

        var ex = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using var running = await host.StartAsync(graph, TestContext.Current.CancellationToken);
        });

        Assert.Contains($"'{named}'", ex.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("sk-test-not-used", ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EveryCommand_GetsAResult()
    {
        await using var harness = await GraphHarness.StartAsync(null, V2VProperties());
        var v2v = (Ten.Extension)harness.Graph.GetExtension("v2v");
        var env = new DirectEnv();
        var ct = TestContext.Current.CancellationToken;

        Assert.Equal(StatusCode.Ok, (await v2v.OnCmdAsync(env, new Cmd("flush"), ct)).Status);
        Assert.Equal(StatusCode.Ok, (await v2v.OnCmdAsync(env, new Cmd("on_user_joined"), ct)).Status);
        Assert.Equal(StatusCode.Ok, (await v2v.OnCmdAsync(env, new Cmd("on_user_left"), ct)).Status);
        var badTool = new Cmd("tool_register");
        badTool.Set("name", "x").Set("description", "d").Set("parameters", "{not json");
        var refused = await v2v.OnCmdAsync(env, badTool, ct);
        Assert.Equal(StatusCode.Error, refused.Status);
        Assert.Contains("parameters", refused.Detail, StringComparison.Ordinal);
        Assert.Equal(StatusCode.Ok, (await v2v.OnCmdAsync(env, new Cmd("on_connection_failure"), ct)).Status);
        // A cmd it does not know is answered OK, as ten_ai_base answers it.
        Assert.Equal(StatusCode.Ok, (await v2v.OnCmdAsync(env, new Cmd("dance"), ct)).Status);
    }
}
