using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using V2V.Extension.Tests.Support;
using V2V.Ten.Messages;

namespace V2V.Extension.Tests;

/// <summary>What TEN users' graphs and extensions expect of openai_v2v, in real graphs against the local realtime server.</summary>
public sealed class TenCompatibilityTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static JsonObject Properties(bool audioOut = false) => new()
    {
        ["api_key"] = "",
        ["audio_out"] = audioOut,
        ["pace_output"] = false,
        ["greet_on_join"] = false,
        ["stream_id"] = 9,
    };

    private static JsonObject V2VConnection(JsonArray connections) => connections.OfType<JsonObject>().First(c => c["extension"]!.GetValue<string>() == "v2v");

    /// <summary>Adds a storage node to the graph: openai_v2v's <c>retrieve</c> and <c>append</c> go to it.</summary>
    private static void WithStorage(JsonArray nodes, JsonArray connections)
    {
        nodes.Add(new JsonObject { ["type"] = "extension", ["name"] = "storage", ["addon"] = TestStorage.AddonName });
        var v2v = V2VConnection(connections);
        ((JsonArray)v2v["cmd"]!).Add(GraphHarness.Route("retrieve", "storage"));
        ((JsonArray)v2v["data"]!).Add(GraphHarness.Route("append", "storage"));
    }

    private static string? FirstInstructions(GraphHarness harness) =>
        harness.Sent("session.update").First().GetProperty("session").GetProperty("instructions").GetString();

    private static string OutputOf(JsonElement e) => e.GetProperty("item").GetProperty("output").GetString()!;

    private static bool IsOutput(JsonElement e, string contains) =>
        e.GetProperty("item").GetProperty("type").GetString() == "function_call_output" && OutputOf(e).Contains(contains, StringComparison.Ordinal);

    [Fact]
    public async Task ToolsInBothRegisterForms_AreCalled_AndAnsweredInBothResultForms_AndAnErrorIsToldToTheModel()
    {
        var tools = new TenAiBaseTools();
        await using var harness = await GraphHarness.StartAsync(null, Properties(), textSource: "unused", addons: [tools.Addon()], extend: (nodes, connections) =>
        {
            nodes.Add(new JsonObject { ["type"] = "extension", ["name"] = "tools", ["addon"] = TenAiBaseTools.AddonName });
            V2VConnection(connections)["cmd"] = new JsonArray(GraphHarness.Route("flush", "probe"), GraphHarness.Route("tool_call", "tools"));
            connections.Add(new JsonObject { ["extension"] = "tools", ["cmd"] = new JsonArray(GraphHarness.Route("tool_register", "v2v")) });
        });
        await harness.WaitForSentAsync("session.update", e => e.GetRawText().Contains("get_clock", StringComparison.Ordinal), "the tools");

        var weather = harness.Sent("session.update").Select(e => e.GetProperty("session")).Last(s => s.TryGetProperty("tools", out _))
            .GetProperty("tools").EnumerateArray().Single(t => t.GetProperty("name").GetString() == "get_weather").GetProperty("parameters");
        Assert.Equal("string", weather.GetProperty("properties").GetProperty("city").GetProperty("type").GetString());
        Assert.Equal(["city"], weather.GetProperty("required").EnumerateArray().Select(r => r.GetString()));

        await harness.Text!.SayAsync("get_weather Paris", Ct);
        await harness.WaitForSentAsync("conversation.item.create", e => IsOutput(e, "sunny in Paris"), "the output from tool_result");
        await harness.WaitForAsync(p => GraphHarness.AssistantTurnsClosed(p, 1), "the answer with the weather");
        await harness.Text.SayAsync("get_clock Europe/Paris", Ct);
        await harness.WaitForSentAsync("conversation.item.create", e => IsOutput(e, "12:00"), "the output from response");
        await harness.WaitForAsync(p => GraphHarness.AssistantTurnsClosed(p, 2), "the answer with the time");
        await harness.Text.SayAsync("get_broken now", Ct);
        await harness.WaitForSentAsync("conversation.item.create", e => IsOutput(e, "the tool broke"), "an output saying the tool failed");
        await harness.WaitForAsync(p => GraphHarness.AssistantTurnsClosed(p, 3), "the answer after the failure");

        var call = tools.Calls.First(c => c.GetString("name") == "get_weather");
        Assert.Equal("Paris", Assert.IsType<JsonObject>(call.Properties["arguments"])["city"]!.GetValue<string>());
        Assert.Equal("Paris", JsonNode.Parse(call.GetString("args")!)!["city"]!.GetValue<string>());
        var clock = OutputOf(harness.Sent("conversation.item.create").First(e => IsOutput(e, "12:00")));
        Assert.Equal("Europe/Paris", JsonNode.Parse(clock)!["zone"]!.GetValue<string>());
        Assert.Contains("failed", OutputOf(harness.Sent("conversation.item.create").First(e => IsOutput(e, "the tool broke"))), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TextData_IsWhatTheMessageCollectorAssemblesIntoTheWholeTurn()
    {
        await using var harness = await GraphHarness.StartAsync(null, Properties(audioOut: true), textSource: "Hello there. How are you today? I am fine, thanks.");
        await harness.Text!.SayAsync(Ct);

        await harness.WaitForAsync(p => GraphHarness.AssistantTurnsClosed(p, 1), "the answer");

        var texts = harness.Probe.Texts.ToList();
        Assert.True(texts.Count(t => t.GetString("role") == "assistant") > 2, "the answer came in several pieces");
        Assert.All(texts.Where(t => t.GetBool("end_of_segment") == false), t => Assert.Null(t.GetBool("is_final")));
        var final = Assert.Single(MessageCollectorModel.FinalMessages(texts));
        Assert.Equal((9L, "You said: Hello there. How are you today? I am fine, thanks."), final);
    }

    [Fact]
    public async Task GraphPrompt_WinsOverTheShippedInstructions_WithItsPlaceholdersReplaced()
    {
        var properties = Properties();
        properties["prompt"] = "Tell a story in {language}. Start with {greeting}|{tools}|";
        properties["greeting"] = "Hello friend";
        properties["language"] = "en-US";
        await using var harness = await GraphHarness.StartAsync(null, properties);

        await harness.WaitForSentAsync("session.update", _ => true, "the session's configuration");

        Assert.Equal("Tell a story in en-US. Start with Hello friend||", FirstInstructions(harness));
    }

    [Fact]
    public async Task NoiseReduction_IsAskedOfTheService_AndOffByDefault()
    {
        var properties = Properties();
        properties["noise_reduction"] = "far_field";
        await using var harness = await GraphHarness.StartAsync(null, properties);
        await harness.WaitForSentAsync("session.update", _ => true, "the session's configuration");
        await using var plain = await GraphHarness.StartAsync(null, Properties());
        await plain.WaitForSentAsync("session.update", _ => true, "the session's configuration");

        var input = harness.Sent("session.update").First().GetProperty("session").GetProperty("audio").GetProperty("input");
        Assert.Equal("far_field", input.GetProperty("noise_reduction").GetProperty("type").GetString());
        var plainSession = plain.Sent("session.update").First().GetProperty("session");
        Assert.False(plainSession.TryGetProperty("audio", out var audio) && audio.TryGetProperty("input", out var plainInput)
            && plainInput.TryGetProperty("noise_reduction", out var off) && off.ValueKind != JsonValueKind.Null);
    }

    [Fact]
    public async Task ASilentUser_IsASessionEvent_AndTheModelPromptsThem()
    {
        var folder = Directory.CreateTempSubdirectory("v2v-idle-").FullName;
        // A short question, then silence longer than its answer and the timeout together, at the pace it was recorded
        // (the service counts the silence in the audio it is sent, from the end of the answer).
        var wav = V2V.Testing.Speech.WriteWav(Path.Combine(folder, "hello.wav"), "Hello.", 16000, 1, trailingSilenceMs: 8_000);
        var properties = Properties();
        properties["idle_timeout_ms"] = 5000;
        await using var harness = await GraphHarness.StartAsync(wav, properties, realtimeSource: true);

        static bool IsIdle(DataMessage d) => d.Name == "session_event" && d.GetString("kind") == "user_idle";
        await harness.WaitForAsync(p => p.Received.OfType<DataMessage>().Any(IsIdle) && GraphHarness.AssistantTurnsClosed(p, 2), "the idle event and the prompt");

        var probe = harness.Probe;
        var idle = probe.Received.OfType<DataMessage>().Single(IsIdle);
        Assert.False(string.IsNullOrEmpty(idle.GetString("item_id")));
        Assert.InRange(idle.Properties["silent_to_ms"]!.GetValue<double>() - idle.Properties["silent_from_ms"]!.GetValue<double>(), 5000, 5200);
        Assert.Empty(harness.Sent("response.create")); // the service prompted them by itself
    }

    [Fact]
    public async Task IdleTimeout_IsAskedOfTheService_AndOffByDefault()
    {
        var properties = Properties();
        properties["idle_timeout_ms"] = 8000;
        await using var harness = await GraphHarness.StartAsync(null, properties);
        await harness.WaitForSentAsync("session.update", _ => true, "the session's configuration");
        await using var plain = await GraphHarness.StartAsync(null, Properties());
        await plain.WaitForSentAsync("session.update", _ => true, "the session's configuration");

        static JsonElement TurnDetection(JsonElement update) =>
            update.GetProperty("session").GetProperty("audio").GetProperty("input").GetProperty("turn_detection");
        Assert.Equal(8000, TurnDetection(harness.Sent("session.update").First()).GetProperty("idle_timeout_ms").GetInt32());
        Assert.False(TurnDetection(plain.Sent("session.update").First()).TryGetProperty("idle_timeout_ms", out var off) && off.ValueKind != JsonValueKind.Null);
    }

    [Fact]
    public async Task UnknownProperty_IsAWarningNamingIt_NotARefusedGraph()
    {
        var properties = Properties();
        properties["no_such_property"] = 1;
        properties["api_version"] = "v1alpha";
        var log = new LogCapture();

        await using var harness = await GraphHarness.StartAsync(null, properties, loggerFactory: log);
        await harness.WaitForSentAsync("session.update", _ => true, "the session's configuration");

        var warning = Assert.Single(log.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("no_such_property", StringComparison.Ordinal));
        Assert.Contains("api_version", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Storage_RetrievedTurnsReachTheSession_AndEachFinalTurnIsAppended()
    {
        var storage = new TestStorage("""[{"role":"user","input":"My name is Ada."},{"role":"assistant","input":"Hello Ada."}]""");
        var properties = Properties();
        properties["enable_storage"] = true;
        await using var harness = await GraphHarness.StartAsync(null, properties, textSource: "Remember me.", addons: [storage.Addon()], extend: WithStorage);
        await harness.WaitForSentAsync("session.update", _ => true, "the session's configuration");

        Assert.EndsWith("user: My name is Ada.\nassistant: Hello Ada.", FirstInstructions(harness), StringComparison.Ordinal);

        await harness.Text!.SayAsync(Ct);
        await harness.WaitForAsync(_ => !storage.Appended.IsEmpty, "the answer appended");
        var appended = Assert.Single(storage.Appended);
        Assert.Equal(("You said: Remember me.", "assistant", 9L), (appended.GetString("text"), appended.GetString("role"), appended.GetInt64("stream_id")));
    }

    [Fact]
    public async Task Storage_AppendsASpokenQuestionBeforeItsAnswer_WhenItsTranscriptionComesAfterTheAnswer()
    {
        // The service transcribes a turn after it has begun answering it; here the answer closes first. A conversation
        // retrieved later must still have the question before its answer.
        var storage = new TestStorage("[]");
        var properties = Properties();
        properties["enable_storage"] = true;
        properties["input_transcript"] = true;
        var folder = Directory.CreateTempSubdirectory("v2v-wav-").FullName;
        var wav = V2V.Testing.Speech.WriteWav(Path.Combine(folder, "question.wav"), "What is the weather in Paris today?", 16000, 1);
        await using var harness = await GraphHarness.StartAsync(wav, properties, addons: [storage.Addon()], extend: WithStorage, server: s => s.TranscriptionDelay = TimeSpan.FromSeconds(30)); // scaled by the server's speed (20): 1.5 s

        await harness.WaitForAsync(p => p.Texts.Any(t => t.GetString("role") == "user"), "the question's transcription");
        await harness.WaitForAsync(_ => storage.Appended.Count == 2, "both turns appended");

        var texts = harness.Probe.Texts.Where(t => t.GetBool("is_final") == true).Select(t => t.GetString("role")).ToList();
        Assert.Equal(["assistant", "user"], texts); // as the graph saw them: the answer closed first
        Assert.Equal(["user", "assistant"], storage.Appended.Select(a => a.GetString("role")));
        Assert.Equal(harness.Probe.Texts.Single(t => t.GetString("role") == "user").GetString("text"), storage.Appended.First().GetString("text"));
        Assert.Equal(77L, storage.Appended.First().GetInt64("stream_id")); // the user's stream
    }

    [Fact]
    public async Task NoGreetingSet_TheLanguagesShortHelloIsSaid_WhenAUserJoins()
    {
        var properties = Properties();
        properties.Remove("greet_on_join");
        await using var harness = await GraphHarness.StartAsync(null, properties, textSource: "unused");

        Assert.Equal(StatusCode.Ok, (await harness.Text!.JoinAsync(Ct)).Status);
        await harness.WaitForAsync(p => GraphHarness.AssistantTurnsClosed(p, 1), "the greeting");

        Assert.Equal((9L, "Hi, there."), Assert.Single(MessageCollectorModel.FinalMessages(harness.Probe.Texts)));
    }

    [Fact]
    public void TheAddon_AnswersToThePythonOriginalsNameToo()
    {
        Assert.Equal([OpenAIV2VAddon.Name, "openai_v2v_python"], OpenAIV2VAddon.CreateAll().Select(a => a.Name));
    }
}
