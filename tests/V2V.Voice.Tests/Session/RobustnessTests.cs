using System.Net.WebSockets;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.Extensions.Logging;
using V2V.Realtime.Client;
using V2V.Simulator;
using V2V.Testing;
using V2V.Voice.Outputs;
using V2V.Voice.Tests.Support;

namespace V2V.Voice.Tests.Session;

/// <summary>A server that misbehaves, a key that stops working, frames of every shape: the session reports, counts and goes on.</summary>
public sealed class RobustnessTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Audio(int ms) => Convert.ToBase64String(new byte[ms * 48]);

    [Fact]
    public async Task MisbehavingServer_IsReportedAndSurvived_AndGoodOutputStillComesThrough()
    {
        string[] script =
        [
            """{"type":"session.created","event_id":"e0","session":{"type":"realtime","id":"sess_1","object":"realtime.session"}}""",
            // The session's start waits for the service to accept its configuration, as every service does.
            """{"type":"session.updated","event_id":"e0u","session":{"type":"realtime","id":"sess_1","object":"realtime.session"}}""",
            "{oops",
            """{"type":"response.output_audio.delta","event_id":"e1","response_id":"resp_ghost","item_id":"item_ghost","output_index":0,"content_index":0,"delta":"{{A}}"}""".Replace("{{A}}", Audio(200), StringComparison.Ordinal),
            """{"type":"response.done","event_id":"e2","response":{"id":"resp_never_created","status":"completed","output":[]}}""",
            """{"type":"response.output_audio_transcript.delta","event_id":"e3","response_id":"resp_ghost","item_id":"item_ghost","output_index":0,"content_index":0,"delta":"ghost words."}""",
            """{"type":"some.future_event","event_id":"e4"}""",
            """{"type":"response.output_audio_transcript.delta","event_id":"e5","response_id":"resp_1","item_id":"item_1","output_index":0,"content_index":0,"delta":"out of order."}""",
            """{"type":"response.created","event_id":"e6","response":{"id":"resp_1","object":"realtime.response","status":"in_progress","output":[]}}""",
            """{"type":"response.output_audio.delta","event_id":"e7","response_id":"resp_1","item_id":"item_1","output_index":0,"content_index":0,"delta":"{{A}}"}""".Replace("{{A}}", Audio(300), StringComparison.Ordinal),
            """{"type":"response.output_audio_transcript.delta","event_id":"e8","response_id":"resp_1","item_id":"item_1","output_index":0,"content_index":0,"delta":"Hello, world."}""",
            """{"type":"response.output_audio_transcript.delta","event_id":"e9","response_id":"resp_1","item_id":"item_1","output_index":0,"content_index":0,"delta":"{{BIG}}"}""".Replace("{{BIG}}", new string('x', 1_000_000), StringComparison.Ordinal),
            """{"type":"response.output_audio.done","event_id":"e10","response_id":"resp_1","item_id":"item_1","output_index":0,"content_index":0}""",
            """{"type":"response.output_audio_transcript.done","event_id":"e11","response_id":"resp_1","item_id":"item_1","output_index":0,"content_index":0,"transcript":"Hello, world."}""",
            """{"type":"response.done","event_id":"e12","response":{"id":"resp_1","object":"realtime.response","status":"completed","output":[]}}""",
        ];
        await using var peer = await LoopbackWebSocketServer.StartAsync(async (socket, server, ct) =>
        {
            foreach (var message in script)
            {
                await LoopbackWebSocketServer.SendTextAsync(socket, message, ct);
            }
            await server.RecordUntilClosedAsync(socket, ct);
        });
        await using var session = await VoiceSession.StartAsync(new VoiceSessionOptions
        {
            Connection = new RealtimeClientOptions { BaseUri = peer.BaseUri },
            PaceOutput = false,
        }, cancellationToken: Ct);

        var outputs = new List<VoiceSessionEvent>();
        await foreach (var output in session.ReadOutputsAsync(Ct))
        {
            outputs.Add(HeardAudio.Take(output));
            if (output.Event is TranscriptOutput { IsFinal: true })
            {
                break;
            }
        }

        Assert.Contains(outputs, o => o is ErrorOutput { Fatal: false, Code: "malformed_event" });
        Assert.DoesNotContain(outputs.OfType<HeardAudio>(), a => a.ItemId == "item_ghost");
        Assert.Equal(300, outputs.OfType<HeardAudio>().Where(a => a.ItemId == "item_1").Sum(a => a.Length / 48.0), 10.0);
        var said = string.Concat(outputs.OfType<TranscriptOutput>().Select(t => t.Text));
        Assert.DoesNotContain("ghost", said, StringComparison.Ordinal);
        Assert.DoesNotContain("out of order", said, StringComparison.Ordinal);
        Assert.StartsWith("Hello, world.", said, StringComparison.Ordinal);
        Assert.Equal(VoiceSessionState.Connected, session.State);
    }

    [Fact]
    public async Task KeyRefusedOnReconnect_EndsTheSessionWithAFatalError_NotEndlessRetries()
    {
        await using var harness = await SessionHarness.StartAsync(o => o.AudioOut = false, s => s.Faults.CloseAfterEvents = 6);
        harness.Server.Options.Faults.RefuseHandshakeStatusCode = 401;
        await harness.Session.SendTextAsync("say something, so that the server sends enough events to drop the line", Ct);

        var outputs = await harness.WaitForAsync(o => o.OfType<StateOutput>().Any(s => s.State == VoiceSessionState.Stopped), "the session to stop");

        var fatal = Assert.Single(outputs.OfType<ErrorOutput>(), e => e.Fatal);
        Assert.Contains("refused the credentials", fatal.Message, StringComparison.Ordinal);
        Assert.Equal(1, outputs.OfType<StateOutput>().Count(s => s.State == VoiceSessionState.Reconnecting));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => harness.Session.SendAudioAsync(new byte[480], 24000, 1, Ct).AsTask());
    }

    [Fact]
    public async Task WholeSessionAtTraceLevel_NeverLogsTheKey()
    {
        const string key = "sk-proj-SECRET-never-in-a-log-0123456789";
        var logs = new CapturingLoggerProvider();
        var lines = logs.Lines;
        using var loggerFactory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(logs));
        await using var harness = await SessionHarness.StartAsync(o =>
        {
            o.Connection.ApiKey = key;
            o.LoggerFactory = loggerFactory;
            o.Connection.LoggerFactory = loggerFactory;
        }, s => { s.ApiKey = key; s.LoggerFactory = loggerFactory; });

        await harness.SendAsync(Speech.Pcm16("Is my secret safe?", 16000, 1), 16000, 1);
        await harness.WaitForAsync(SessionHarness.HasFinalAssistantTranscript, "the answer");
        await harness.Session.InterruptAsync(Ct);

        Assert.True(lines.Count > 20, $"only {lines.Count} log lines: the test would prove nothing");
        Assert.DoesNotContain(lines, l => l.Contains(key, StringComparison.Ordinal) || l.Contains(key[8..], StringComparison.Ordinal));
    }

    [Fact]
    public async Task FramesOfEveryShape_AreTakenOrRefusedClearly_AndTheSessionGoesOn()
    {
        await using var harness = await SessionHarness.StartAsync(o => o.TurnMode = TurnMode.Manual);
        var frames = from length in Gen.Choose(0, 20_000)
                     from rate in Gen.Elements(0, 4000, 7999, 8000, 11025, 16000, 22050, 44100, 48000, 48001, 96000, -1)
                     from channels in Gen.Elements(0, 1, 2, 3, 8, 9)
                     select (length, rate, channels);

        Prop.ForAll(frames.ToArbitrary(), f =>
        {
            try
            {
                harness.Session.SendAudioAsync(new byte[f.length], f.rate, f.channels, Ct).AsTask().GetAwaiter().GetResult();
                return f.rate is >= 8000 and <= 48000 && f.channels is >= 1 and <= 8 && f.length % (2 * f.channels) == 0;
            }
            catch (ArgumentException ex)
            {
                return ex.Message.Length > 20;
            }
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(400));

        await harness.SendAsync(Speech.Pcm16("Are you still there?", 16000, 1), 16000, 1);
        Assert.True(await harness.Session.EndTurnAsync(Ct));
        await harness.WaitForAsync(SessionHarness.HasFinalAssistantTranscript, "an answer after the fuzzing");
    }
}

/// <summary>Errors that no retry can fix, and readers that do not keep up.</summary>
public sealed class FatalAndSlowReaderTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task FatalErrorCode_EndsTheSession_WithAClearError()
    {
        await using var harness = await SessionHarness.StartAsync(o => o.AudioOut = false, s =>
        {
            s.Faults.ErrorAfterEvents = 2;
            s.Faults.ErrorType = "insufficient_quota";
            s.Faults.ErrorCode = "insufficient_quota";
            s.Faults.ErrorMessage = "You exceeded your current quota.";
        });

        var outputs = await harness.WaitForAsync(o => o.OfType<Outputs.StateOutput>().Any(s => s.State == Outputs.VoiceSessionState.Stopped), "the session to stop");

        var fatal = Assert.Single(outputs.OfType<Outputs.ErrorOutput>(), e => e.Fatal);
        Assert.Contains("exceeded your current quota", fatal.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(outputs, o => o is Outputs.StateOutput { State: Outputs.VoiceSessionState.Reconnecting });
    }

    [Fact]
    public async Task BetaProtocol_AgainstOpenAi_EndsTheSessionOnce_WithTheServicesReason_NotEndlessReconnects()
    {
        // OpenAI retired the beta shape: it answers beta_api_shape_disabled and closes with 4000. Retrying cannot help.
        await using var harness = await SessionHarness.StartAsync(o => o.AudioOut = false, s => s.Profile = V2V.Simulator.ServiceProfile.OpenAi, V2V.Realtime.Protocol.RealtimeDialect.Beta);

        var outputs = await harness.WaitForAsync(o => o.OfType<Outputs.StateOutput>().Any(s => s.State == Outputs.VoiceSessionState.Stopped), "the session to stop");

        var fatal = Assert.Single(outputs.OfType<Outputs.ErrorOutput>(), e => e.Fatal);
        Assert.Contains("beta_api_shape_disabled", fatal.Message + fatal.Code, StringComparison.Ordinal);
        Assert.DoesNotContain(outputs, o => o is Outputs.StateOutput { State: Outputs.VoiceSessionState.Reconnecting });
    }
}
