using System.Collections.Concurrent;
using System.Text.Json;
using V2V.Audio;
using V2V.Simulator;
using V2V.Simulator.Scripting;
using V2V.Testing;

namespace V2V.Cli.Tests;

/// <summary>
/// TEN-Agent's own example apps (35e6581, ../shared/ten-graphs) run unchanged by <c>v2v graph run</c>: the RTC node
/// bound to <c>wav_rtc</c> (a spoken question in, the answer to a WAV, the collector's messages to JSONL), the Python
/// tools bound to the C# <c>time_tool</c>, the Python <c>openai_v2v_python</c> answered by the C# extension, against the
/// local realtime server, which calls the tool when the user has spoken.
/// </summary>
public sealed class TenAppRunTests
{
    private const string Question = "What time is it in Paris?";

    public static TheoryData<string, string, string[], string?> V2VGraphs => new()
    {
        { "default.property.json", "voice_assistant_realtime", ["weatherapi_tool_python"], null },
        { "default.property.json", "story_teller_realtime", ["openai_image_generate_tool"], "producing child picture books" },
        { "demo.property.json", "va_openai_v2v", ["bingsearch_tool_python", "weatherapi_tool_python"], null },
    };

    [Theory]
    [MemberData(nameof(V2VGraphs))]
    public async Task TenAppGraph_RunsEndToEnd_WithTheRtcNodeOnWavFiles(string app, string graph, string[] toolNodes, string? instructions)
    {
        var ct = TestContext.Current.CancellationToken;
        var work = Directory.CreateTempSubdirectory("v2v-ten-app-").FullName;
        var events = new ConcurrentQueue<JsonElement>();
        await using var server = await LocalRealtimeServer.StartAsync(new LocalRealtimeServerOptions
        {
            SpeedFactor = 20,
            // One answer, one item: the collector's message of it must then hold its whole text.
            SplitAnswersLongerThanMs = 0,
            ClientEventObserver = e => events.Enqueue(e.Clone()),
            // The user's question is answered by a call of the graph's tool; the tool's output is then spoken back.
            Script = new SimulatorScript { Responses = [new ScriptedResponse { FunctionName = "get_current_time", FunctionArguments = """{"timezone":"Europe/Paris"}""" }] },
        }, ct);
        var question = Speech.WriteWav(Path.Combine(work, "question.wav"), Question, 24000, 1);
        string[] args =
        [
            "graph", "run", RepositoryFiles.TenFixture(app), "--graph", graph,
            "--bind", "agora_rtc=wav_rtc", .. toolNodes.SelectMany(n => new[] { "--bind", $"{n}=time_tool" }),
            "--set", $"agora_rtc.input_path={question}", "--set", "agora_rtc.realtime=false",
            // A guard for a busy machine: the user hangs up only after the answer has been quiet this long.
            "--set", "agora_rtc.leave_after_quiet_ms=8000",
            "--set", $"v2v.base_uri={server.BaseUri}",
        ];

        // The graph reads its key from TEN-Agent's variable; the local server takes any key.
        var (code, output) = await CliProcess.RunWithEnvironmentAsync(work, new Dictionary<string, string> { ["OPENAI_REALTIME_API_KEY"] = "local-test-key" }, args);

        Assert.True(code == 0, output);
        var sessionUpdates = events.Where(e => Type(e) == "session.update").Select(e => e.GetProperty("session")).ToList();
        Assert.True(sessionUpdates.Any(s => s.TryGetProperty("tools", out var tools) && tools.EnumerateArray().Any(t => t.GetProperty("name").GetString() == "get_current_time")),
            $"no session.update has the tool get_current_time:\n{string.Join('\n', sessionUpdates)}\n{output}");
        var toolOutputs = events.Where(e => Type(e) == "conversation.item.create" && e.GetProperty("item").GetProperty("type").GetString() == "function_call_output").ToList();
        Assert.True(toolOutputs.Any(e => e.GetProperty("item").GetProperty("output").GetString()!.Contains("Europe/Paris", StringComparison.Ordinal)),
            $"the tool's output did not reach the session:\n{string.Join('\n', toolOutputs)}\n{output}");
        if (instructions is not null)
        {
            Assert.True(sessionUpdates.Any(s => s.TryGetProperty("instructions", out var i) && i.GetString()!.Contains(instructions, StringComparison.Ordinal)),
                $"the graph's prompt did not reach the session's instructions:\n{string.Join('\n', sessionUpdates)}");
        }
        var answer = WavReader.ReadFile(Path.Combine(work, "out", "answer.wav"));
        Assert.NotEmpty(LoudBlocks.Of(answer));
        var messages = File.ReadAllLines(Path.Combine(work, "out", "messages.jsonl")).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        // Whole turns: the user's, and the answer that reports the tool's output from its first words to its last.
        Assert.True(messages.Any(m => FinalTurn(m, "user") is { Length: > 0 }), $"no whole user turn among the collector's messages:\n{string.Join('\n', messages)}");
        Assert.True(messages.Any(m => FinalTurn(m, "assistant") is { } text && text.StartsWith("The function get_current_time returned", StringComparison.Ordinal) && text.Contains("Europe/Paris", StringComparison.Ordinal)),
            $"no whole assistant turn with the tool's output among the collector's messages:\n{string.Join('\n', messages)}");
        Directory.Delete(work, recursive: true);
    }

    [Fact]
    public async Task TenAppGraph_WithoutBindings_IsRefused_NamingTheBindsToAdd()
    {
        var (code, output) = await CliProcess.RunAsync("graph", "validate", RepositoryFiles.TenFixture("default.property.json"), "--graph", "voice_assistant_realtime");

        Assert.Equal(2, code);
        Assert.Contains("--bind agora_rtc=wav_rtc --bind weatherapi_tool_python=time_tool", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MalformedBind_IsRefused_NamingTheExpectedForm()
    {
        var (code, output) = await CliProcess.RunAsync("graph", "validate", RepositoryFiles.TenFixture("default.property.json"), "--bind", "agora_rtc");

        Assert.Equal(2, code);
        Assert.Contains("--bind 'agora_rtc': expected NODE=ADDON", output, StringComparison.Ordinal);
    }

    private static string? FinalTurn(JsonElement message, string role) =>
        message.GetProperty("is_final").GetBoolean() && message.TryGetProperty("role", out var r) && r.GetString() == role ? message.GetProperty("text").GetString() : null;

    private static string? Type(JsonElement e) => e.TryGetProperty("type", out var type) ? type.GetString() : null;
}
