using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text.Json;
using V2V.Audio;
using V2V.Simulator;
using V2V.Simulator.Scripting;

namespace V2V.Cli.Tests;

/// <summary>
/// <c>v2v talk</c> in real time against a local server at the service's own pace (answers 4x faster than they play):
/// a conversation, heard as a listener hears it, that goes on through a dropped connection and ends cleanly.
/// </summary>
public sealed class TalkConversationTests : IDisposable
{
    private const string FirstQuestion = "What is the weather in Paris today?";
    private const string SecondQuestion = "What about tomorrow in London?";
    private const int LongAnswerMs = 8000;
    private const int ShortAnswerMs = 1000;

    /// <summary>Eight sentences over eight seconds of voice: a barge-in a few seconds in leaves the last ones unheard.</summary>
    private static readonly string LongAnswer = string.Join(' ', Enumerable.Range(1, 8).Select(i => $"Sentence {i} of the long answer."));

    private readonly string _folder = Directory.CreateTempSubdirectory("v2v-talk-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task BargeIn_WhileTheAnswerIsFarAhead_TruncatesAtThePlayedPosition_AndTheWavHoldsWhatWasHeard_OnTheInputsTimeline()
    {
        var events = new ConcurrentQueue<JsonElement>();
        await using var server = await LocalRealtimeServer.StartAsync(new LocalRealtimeServerOptions
        {
            Script = Answers(),
            ClientEventObserver = e => events.Enqueue(e.Clone()),
        }, TestContext.Current.CancellationToken);
        // The second question comes 3 s after the first: the whole long answer has arrived by then, a part of it is heard.
        var input = TwoQuestions(TimeSpan.FromSeconds(3));
        var answer = Path.Combine(_folder, "answer.wav");
        var transcript = Path.Combine(_folder, "t.jsonl");

        var (code, output) = await CliProcess.RunAsync("talk", "--input", input.Path, "--output", answer, "--transcript", transcript, "--base-uri", server.BaseUri.ToString());

        Assert.True(code == 0, output);
        Assert.DoesNotContain("error:", output, StringComparison.Ordinal);
        Assert.DoesNotContain("warning:", output, StringComparison.Ordinal);
        var truncates = events.Where(e => e.GetProperty("type").GetString() == "conversation.item.truncate").ToList();
        Assert.NotEmpty(truncates);
        var truncatedAtMs = truncates.Sum(t => t.GetProperty("audio_end_ms").GetDouble());
        Assert.InRange(truncatedAtMs, 1, LongAnswerMs - 500);

        // What was heard of the long answer is what the WAV holds of it (to within the tone's fades and a frame at
        // each cut), then the short answer in full; the unheard rest was never written.
        var wav = WavReader.ReadFile(answer);
        var loud = LoudBlocks.Of(wav);
        var heardMs = loud.Count * LoudBlocks.Block.TotalMilliseconds;
        Assert.InRange(heardMs - ShortAnswerMs, truncatedAtMs - 100, truncatedAtMs + 100);

        // On the input's timeline: the long answer begins after the first question ended, the short one after the
        // second, and the file lasts at least as long as the input.
        Assert.True(loud[0] > input.Questions[0].End, $"the answer begins at {loud[0]}, the first question ends at {input.Questions[0].End}");
        Assert.True(loud[^1] > input.Questions[1].End, $"the answer ends at {loud[^1]}, the second question ends at {input.Questions[1].End}");
        Assert.True(wav.Duration >= input.Length - LoudBlocks.Block, $"the answer lasts {wav.Duration}, the input {input.Length}");

        // The transcript holds what was heard: the interrupted answer stops short of its last sentence.
        var lines = ReadLines(transcript);
        var interrupted = lines.FindIndex(l => l.Role == "assistant" && l.Interrupted);
        Assert.True(interrupted >= 0, output);
        var heardText = string.Concat(lines.Take(interrupted).Where(l => l.Role == "assistant").Select(l => l.Text));
        Assert.DoesNotContain("Sentence 8", heardText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UserLines_ComeBeforeTheAgentsAnswerToThem_EvenWhenTheirTranscriptIsLate()
    {
        // The user's transcript comes a second after each turn, well after the agent's first words.
        await using var server = await LocalRealtimeServer.StartAsync(new LocalRealtimeServerOptions
        {
            Script = new SimulatorScript
            {
                Responses = [new ScriptedResponse { Text = "Yes. It is sunny in Paris.", AudioMs = 2000 }, new ScriptedResponse { Text = "Sure. It rains in London.", AudioMs = 2000 }],
            },
            TranscriptionDelay = TimeSpan.FromSeconds(1),
        }, TestContext.Current.CancellationToken);
        var input = TwoQuestions(TimeSpan.FromSeconds(4));
        var transcript = Path.Combine(_folder, "order.jsonl");

        var (code, output) = await CliProcess.RunAsync("talk", "--input", input.Path, "--transcript", transcript, "--base-uri", server.BaseUri.ToString());

        Assert.True(code == 0, output);
        var roles = string.Concat(ReadLines(transcript).Select(l => l.Role == "user" ? "U" : l.IsFinal ? "F" : "a"));
        Assert.Matches("^Ua*FUa*F$", roles);
        var printed = output.Split('\n').Where(l => l.StartsWith("user:", StringComparison.Ordinal) || l.StartsWith("agent:", StringComparison.Ordinal)).ToList();
        Assert.Equal(["user:", "agent:", "user:", "agent:"], printed.Select(l => l[..(l.IndexOf(':') + 1)]));
    }

    [Fact]
    public async Task DroppedConnection_MidAnswer_Reconnects_AndTheTalkGoesOnToItsEnd()
    {
        var updates = 0;
        var faults = new LocalRealtimeServerFaults { CloseAfterEvents = 20, AbortInsteadOfClose = true };
        await using var server = await LocalRealtimeServer.StartAsync(new LocalRealtimeServerOptions
        {
            Script = new SimulatorScript { Responses = [new ScriptedResponse { Text = "Sentence 1 of the answer. Sentence 2 of the answer.", AudioMs = 3000 }] },
            Faults = faults,
            ClientEventObserver = e =>
            {
                // The second connection's configuration: the drop has happened, the new connection is left alone.
                if (e.GetProperty("type").GetString() == "session.update" && Interlocked.Increment(ref updates) == 2)
                {
                    faults.CloseAfterEvents = null;
                }
            },
        }, TestContext.Current.CancellationToken);
        var input = TwoQuestions(TimeSpan.FromSeconds(3));

        var (code, output) = await CliProcess.RunAsync("talk", "--input", input.Path, "--base-uri", server.BaseUri.ToString());

        Assert.True(code == 0, output);
        Assert.Single(output.Split('\n'), l => l.StartsWith("reconnecting:", StringComparison.Ordinal));
        Assert.True(Volatile.Read(ref updates) >= 2, output);
        Assert.Contains("agent: Sentence 1", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ShortSessions_AreRenewedBeforeTheyExpire_AndTheTalkGoesOnToItsEnd()
    {
        // Sessions of 4 s (the service's expires_at says so): the session renews its connection before the service
        // would end it; should the service end one first (session_expired, close 1001), that is one reconnect line.
        var sessionUpdates = 0;
        // What the server got and when: the talk's output alone could not tell why it once waited in vain (the first
        // answer interrupted, then nothing for 120 s, in one run of the suite on a machine busier than CI's).
        var trace = new WireTrace();
        await using var server = await LocalRealtimeServer.StartAsync(new LocalRealtimeServerOptions
        {
            SessionLifetime = TimeSpan.FromSeconds(4),
            ClientEventObserver = e =>
            {
                trace.Client(e);
                if (e.GetProperty("type").GetString() == "session.update")
                {
                    Interlocked.Increment(ref sessionUpdates);
                }
            },
            ServerEventObserver = trace.Server,
            ClientCloseObserver = status => trace.Add($"connection closed ({status})"),
        }, TestContext.Current.CancellationToken);
        var input = TwoQuestions(TimeSpan.FromSeconds(3));

        // The talk's own patience below the test's guard: a talk that waits in vain ends itself and says so.
        var (code, output) = await CliProcess.RunAsync("talk", "--input", input.Path, "--base-uri", server.BaseUri.ToString(), "--timeout", "60");

        Assert.True(code == 0, $"{output}\nwhat went over the wire:\n{trace}");
        Assert.True(Volatile.Read(ref sessionUpdates) >= 2, $"one connection for the whole talk; output:\n{output}");
        var reconnects = output.Split('\n').Where(l => l.StartsWith("reconnecting:", StringComparison.Ordinal)).ToList();
        Assert.All(reconnects, l => Assert.Contains("maximum duration", l, StringComparison.Ordinal));
        Assert.DoesNotContain("warning:", output, StringComparison.Ordinal);
        Assert.DoesNotContain("error:", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FatalError_MidStream_IsOneLine_AndItsExitCode_NotAStackTrace()
    {
        await using var server = await LocalRealtimeServer.StartAsync(new LocalRealtimeServerOptions
        {
            Script = Answers(),
            Faults = { ErrorAfterEvents = 8, ErrorType = "invalid_request_error", ErrorCode = "account_deactivated", ErrorMessage = "This key is associated with a deactivated account." },
        }, TestContext.Current.CancellationToken);
        // Long after the error, the file still has a question to send: the talk must stop sending, not die of it.
        var input = TwoQuestions(TimeSpan.FromSeconds(3));

        var (code, output) = await CliProcess.RunAsync("talk", "--input", input.Path, "--base-uri", server.BaseUri.ToString());

        Assert.True(code == 1, output);
        var error = Assert.Single(output.Split('\n'), l => l.StartsWith("error:", StringComparison.Ordinal));
        Assert.Contains("deactivated account", error, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CtrlC_EndsTheTalk_WithExitCode130_AndCompleteFiles()
    {
        await using var server = await LocalRealtimeServer.StartAsync(new LocalRealtimeServerOptions { Script = Answers() }, TestContext.Current.CancellationToken);
        var input = TwoQuestions(TimeSpan.FromSeconds(3));
        var answer = Path.Combine(_folder, "cancelled.wav");

        // Interrupted once the first question has been heard, in the middle of the conversation.
        var (code, output) = await CliProcess.RunAndInterruptAsync("user:", "talk", "--input", input.Path, "--output", answer, "--base-uri", server.BaseUri.ToString());

        Assert.True(code == 130, output);
        Assert.Contains("v2v talk: cancelled.", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
        Assert.Equal(24000, WavReader.ReadFile(answer).SampleRate); // the header is complete: the file reads
    }

    [Fact]
    public async Task TheTalk_EndsWithACloseHandshake()
    {
        var closes = new ConcurrentQueue<WebSocketCloseStatus?>();
        await using var server = await LocalRealtimeServer.StartAsync(new LocalRealtimeServerOptions
        {
            SpeedFactor = 20,
            ClientCloseObserver = closes.Enqueue,
        }, TestContext.Current.CancellationToken);
        var input = V2V.Testing.Speech.WriteWav(Path.Combine(_folder, "q.wav"), FirstQuestion, 16000, 1, trailingSilenceMs: 500);

        var (code, output) = await CliProcess.RunAsync("talk", "--input", input, "--fast", "--base-uri", server.BaseUri.ToString());

        Assert.True(code == 0, output);
        // The server notes the end of the connection once it has seen it: wait for that (a guard, not a timing).
        var guard = Task.Delay(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        while (closes.IsEmpty && !guard.IsCompleted)
        {
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
        Assert.Equal([WebSocketCloseStatus.NormalClosure], closes);
    }

    private static SimulatorScript Answers() => new()
    {
        Responses = [new ScriptedResponse { Text = LongAnswer, AudioMs = LongAnswerMs }, new ScriptedResponse { Text = "A short answer.", AudioMs = ShortAnswerMs }],
    };

    private ConversationWav TwoQuestions(TimeSpan between) =>
        ConversationWav.Write(Path.Combine(_folder, $"two-questions-{Guid.NewGuid():N}.wav"), 16000, (TimeSpan.FromMilliseconds(300), FirstQuestion), (between, SecondQuestion));

    private static List<(string Role, string Text, bool IsFinal, bool Interrupted)> ReadLines(string path) =>
        [.. File.ReadAllLines(path).Select(l => JsonDocument.Parse(l).RootElement).Select(l => (
            l.GetProperty("role").GetString()!, l.GetProperty("text").GetString()!, l.GetProperty("is_final").GetBoolean(), l.GetProperty("interrupted").GetBoolean()))];
}
