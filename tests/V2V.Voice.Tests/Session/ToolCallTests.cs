using System.ComponentModel;
using Microsoft.Extensions.AI;
using V2V.Voice.Outputs;
using V2V.Voice.Tests.Support;

namespace V2V.Voice.Tests.Session;

/// <summary>
/// A tool registered after the start (<see cref="VoiceSession.RegisterToolAsync"/>, as the extension registers a TEN
/// node's): in the session at once, then function_call_arguments.done → the tool → function_call_output →
/// response.create, and failures that keep the conversation going.
/// </summary>
public sealed class ToolCallTests
{
    private static AIFunction TimeTool(Func<string, CancellationToken, Task<string>> answer) =>
        AIFunctionFactory.Create(([Description("An IANA time zone")] string timezone, CancellationToken ct) => answer(timezone, ct),
            name: "get_current_time", description: "The current time in a time zone.");

    [Fact]
    public async Task ToolRegisteredLater_IsInTheSessionAtOnce_RoundTrips_AndTheModelGoesOnWithTheOutput()
    {
        var asked = new List<string>();
        await using var harness = await SessionHarness.StartAsync(o => o.AudioOut = false);
        await harness.Session.RegisterToolAsync(TimeTool((timezone, _) =>
        {
            lock (asked)
            {
                asked.Add(timezone);
            }
            return Task.FromResult($$"""{"timezone":"{{timezone}}","local_time":"12:00"}""");
        }), TestContext.Current.CancellationToken);

        await harness.Session.SendTextAsync("get_current_time Europe/Paris", TestContext.Current.CancellationToken);
        var outputs = await harness.WaitForAsync(o => Said(o).Contains("returned", StringComparison.Ordinal), "the answer after the tool");

        Assert.Equal("Europe/Paris", Assert.Single(asked));
        var call = Assert.Single(harness.Sent("conversation.item.create"), e => e.GetProperty("item").GetProperty("type").GetString() == "function_call_output");
        Assert.Contains("local_time", call.GetProperty("item").GetProperty("output").GetString(), StringComparison.Ordinal);
        Assert.Contains("local_time", Said(outputs), StringComparison.Ordinal);
        Assert.Equal(2, harness.Sent("response.create").Count); // the user's text, then after the tool output
        var update = harness.Sent("session.update").Last();
        var tool = update.GetProperty("session").GetProperty("tools")[0];
        Assert.Equal("get_current_time", tool.GetProperty("name").GetString());
        Assert.Equal("string", tool.GetProperty("parameters").GetProperty("properties").GetProperty("timezone").GetProperty("type").GetString());
    }

    [Fact]
    public async Task FailingTool_GivesTheModelAnErrorOutput_AndTheConversationGoesOn()
    {
        await using var harness = await SessionHarness.StartAsync(o => o.AudioOut = false);
        await harness.Session.RegisterToolAsync(TimeTool((_, _) => throw new InvalidOperationException("the clock is broken")), TestContext.Current.CancellationToken);

        await harness.Session.SendTextAsync("get_current_time Europe/Paris", TestContext.Current.CancellationToken);
        var outputs = await harness.WaitForAsync(o => Said(o).Contains("returned", StringComparison.Ordinal), "the answer after the failed tool");

        Assert.Contains("the clock is broken", Said(outputs), StringComparison.Ordinal);
        Assert.Contains("error", Said(outputs), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SlowTool_TimesOut_WithAnErrorOutput()
    {
        await using var harness = await SessionHarness.StartAsync(o =>
        {
            o.AudioOut = false;
            o.ToolTimeout = TimeSpan.FromMilliseconds(200);
        });
        await harness.Session.RegisterToolAsync(TimeTool(async (_, ct) =>
        {
            await Task.Delay(Timeout.Infinite, ct);
            return "never";
        }), TestContext.Current.CancellationToken);

        await harness.Session.SendTextAsync("get_current_time Europe/Paris", TestContext.Current.CancellationToken);
        var outputs = await harness.WaitForAsync(o => Said(o).Contains("returned", StringComparison.Ordinal), "the answer after the timeout");

        Assert.Contains("did not answer within 0.2 s", Said(outputs), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(20)]
    [InlineData(0)] // no history replayed: the call still is, as the turn in progress
    public async Task ACallStillRunning_WhenTheConnectionIsReplaced_IsAnsweredOnTheNewOne(int maxHistory)
    {
        // The service refuses an output for a call its conversation does not hold (invalid_tool_call_id), and a new
        // connection holds only what this side creates on it. The session's clock of the server's lifetimes is fake: the
        // test ends the service's session while the tool runs, and the session reconnects.
        var ct = TestContext.Current.CancellationToken;
        var serverTime = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        var tool = new HeldTool();
        await using var harness = await SessionHarness.StartAsync(o =>
        {
            o.AudioOut = false;
            o.MaxHistory = maxHistory;
            o.ToolTimeout = TimeSpan.FromSeconds(90);
        }, s => s.TimeProvider = serverTime);
        await harness.Session.RegisterToolAsync(tool.Function, ct);

        await harness.Session.SendTextAsync("get_current_time Europe/Paris", ct);
        await tool.Started.Task.WaitAsync(TimeSpan.FromSeconds(60), ct);
        serverTime.Advance(TimeSpan.FromMinutes(61)); // the service ends its session: session_expired, then the close
        await harness.WaitForAsync(o => o.OfType<StateOutput>().Count(s => s.State == VoiceSessionState.Connected) >= 2, "the session connected again");
        tool.Release.SetResult("""{"timezone":"Europe/Paris","local_time":"12:00"}""");

        var outputs = await harness.WaitForAsync(o => Said(o).Contains("returned", StringComparison.Ordinal), "the answer after the tool, on the new connection");
        Assert.Contains("local_time", Said(outputs), StringComparison.Ordinal);
        Assert.DoesNotContain(outputs.OfType<ErrorOutput>(), e => e.Code == "invalid_tool_call_id");
        // The call was the question's answer: the new connection is given it and its output, not asked the question
        // again (the model would call the tool once more: a side effect twice).
        Assert.Equal(1, tool.Calls);
        Assert.Equal(2, harness.Sent("response.create").Count); // the question, then the answer after the output
    }

    [Fact]
    public async Task AToolAnswering_WhileTheUserSpeaks_IsNotAnsweredOverThem_TheServicesAnswerToTheirTurnCarriesTheOutput()
    {
        // Asked for while the user speaks, the tool round's answer would talk over them and still run when their turn
        // ends, and the service would not answer that turn. Its answer to the turn has the output in its context instead.
        var ct = TestContext.Current.CancellationToken;
        var tool = new HeldTool();
        await using var harness = await SessionHarness.StartAsync(o => o.AudioOut = false);
        await harness.Session.RegisterToolAsync(tool.Function, ct);
        await harness.Session.SendTextAsync("get_current_time Europe/Paris", ct);
        await tool.Started.Task.WaitAsync(TimeSpan.FromSeconds(60), ct);

        // The user speaks while the tool runs; it answers in the middle of their speech.
        await SpeakWhileTheToolAnswersAsync(harness, tool);
        await harness.WaitForAsync(o => Said(o).Contains("I heard", StringComparison.Ordinal), "the service's answer to the user's turn");

        // Then the user types: had the round been answered after the turn's answer, its request would have gone first.
        await harness.Session.SendTextAsync("thanks", ct);
        var outputs = await harness.WaitForAsync(o => Said(o).Contains("You said: thanks", StringComparison.Ordinal), "the answer to the text");

        Assert.Equal(2, harness.Sent("response.create").Count); // the typed question and the thanks: none for the round
        Assert.Equal(3, harness.ReceivedEvents.Count(e => e == "response.created")); // the call, the user's turn, the thanks
        Assert.DoesNotContain("returned", Said(outputs), StringComparison.Ordinal); // no answer to the round on its own
        Assert.Empty(outputs.OfType<ErrorOutput>());
    }

    [Fact]
    public async Task AToolAnswering_WhileTheLocalVadHearsTheUser_IsNotAnsweredOverThem_TheAnswerToTheirTurnCarriesTheOutput()
    {
        // The same with the local detector ending turns: the round's answer asked at once would play over the user, be
        // cut at the end of their turn and asked again.
        var ct = TestContext.Current.CancellationToken;
        var tool = new HeldTool();
        await using var harness = await SessionHarness.StartAsync(o => { o.AudioOut = false; o.TurnMode = TurnMode.LocalVad; });
        await harness.Session.RegisterToolAsync(tool.Function, ct);
        await harness.Session.SendTextAsync("get_current_time Europe/Paris", ct);
        await tool.Started.Task.WaitAsync(TimeSpan.FromSeconds(60), ct);

        await SpeakWhileTheToolAnswersAsync(harness, tool);
        var outputs = await harness.WaitForAsync(o => Said(o).Contains("I heard", StringComparison.Ordinal), "the answer to the user's turn");

        Assert.Single(harness.Sent("input_audio_buffer.commit"));
        Assert.Equal(2, harness.Sent("response.create").Count); // the typed question and the turn: none for the round
        Assert.Empty(harness.Sent("response.cancel"));
        Assert.Empty(outputs.OfType<ErrorOutput>());
    }

    [Fact]
    public async Task ASpokenQuestion_TranscribedAfterTheToolRoundAndItsAnswer_ComesBeforeThemInTheHistory()
    {
        // The service transcribes a turn after it has begun answering it: here the tool call, its output and the answer
        // all come before the question's words. The history a new connection is given keeps the question first.
        var ct = TestContext.Current.CancellationToken;
        var script = V2V.Simulator.Scripting.SimulatorScript.Parse("""{ "responses": [ { "function_call": { "name": "get_current_time", "arguments": { "timezone": "Europe/Paris" } } } ] }""");
        await using var harness = await SessionHarness.StartAsync(o => { o.InputTranscript = true; o.AudioOut = false; }, s =>
        {
            s.SpeedFactor = 4;
            s.TranscriptionDelay = TimeSpan.FromSeconds(20); // scaled by the server's speed: 5 s, long after the tool round
            s.Script = script;
        });
        await harness.Session.RegisterToolAsync(TimeTool((_, _) => Task.FromResult("""{"local_time":"12:00"}""")), ct);

        await harness.SendAsync(V2V.Testing.Speech.Pcm16("What time is it in Paris?", 16000, 1), 16000, 1);
        var outputs = await harness.WaitForAsync(o => o.OfType<TranscriptOutput>().Any(t => t.Role == TranscriptRole.User && t.IsFinal)
            && Said(o).Contains("returned", StringComparison.Ordinal), "the question's words and the answer to the tool round");

        var history = await harness.Session.HistorySnapshotAsync(ct);
        Assert.Equal(["user", "function_call", "function_call_output", "assistant"], history.Select(i => i.Type == "message" ? i.Role : i.Type));
    }

    /// <summary>
    /// The user asks a question while <paramref name="tool"/> runs: half of it, then, once their speech was heard to begin,
    /// the tool answers and its output is sent, then the rest of the question.
    /// </summary>
    private static async Task SpeakWhileTheToolAnswersAsync(SessionHarness harness, HeldTool tool)
    {
        var speech = V2V.Testing.Speech.Pcm16("And what is the weather like there today?", 16000, 1); // its trailing silence ends the turn
        var half = speech.Length / 4 * 2;
        await harness.SendAsync(speech[..half], 16000, 1);
        await harness.WaitForAsync(o => o.OfType<UserSpeechOutput>().Any(u => u.Started), "the user's speech heard to begin");
        tool.Release.SetResult("""{"timezone":"Europe/Paris","local_time":"12:00"}""");
        await harness.WaitForSentAsync("conversation.item.create", sent => sent.Any(e => e.GetProperty("item").GetProperty("type").GetString() == "function_call_output"), "the tool's output");
        await harness.SendAsync(speech[half..], 16000, 1);
    }

    /// <summary>A time tool that answers when the test releases it; <see cref="Started"/> says it was called.</summary>
    private sealed class HeldTool
    {
        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource<string> Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        private int _calls;

        /// <summary>Times the tool was called.</summary>
        public int Calls => Volatile.Read(ref _calls);

        public AIFunction Function => TimeTool(async (_, _) =>
        {
            Interlocked.Increment(ref _calls);
            Started.TrySetResult();
            return await Release.Task;
        });
    }

    private static string Said(IReadOnlyList<VoiceSessionEvent> outputs) =>
        string.Concat(outputs.OfType<TranscriptOutput>().Where(t => t.Role == TranscriptRole.Assistant).Select(t => t.Text));
}
