using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using V2V.Audio;
using V2V.Playground.Tests.Support;
using V2V.Simulator;
using V2V.Testing;

namespace V2V.Playground.Tests.Telephony;

/// <summary>
/// Phone calls through <c>/media-stream</c>: a scripted Twilio caller over a real WebSocket against a real playground,
/// with the local realtime server behind it (its received client events observed).
/// </summary>
public sealed class PhoneCallTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SpokenQuestion_GetsASpokenAnswer_In20MsMuLawMessages_EachFollowedByAMark()
    {
        await using var rig = await Rig.StartAsync(greet: false);
        await using var caller = await TwilioCaller.ConnectAsync(rig.Server.Addresses[0]);
        await caller.StartAsync();

        caller.Say("What is the weather like today?");

        var loud = 0;
        for (var i = 0; i < 25; i++)
        {
            var media = await caller.NextAsync("media");
            Assert.Equal(TwilioCaller.StreamSid, media["streamSid"]!.GetValue<string>());
            var payload = Convert.FromBase64String(media["media"]!["payload"]!.GetValue<string>());
            Assert.Equal(160, payload.Length);
            loud += Rms(payload) > 300 ? 1 : 0;
            var mark = await caller.Received.Reader.ReadAsync(Ct);
            Assert.Equal("mark", mark["event"]!.GetValue<string>());
        }
        Assert.True(loud > 5, $"the answer is silent ({loud} of 25 messages have sound)");
    }

    [Fact]
    public async Task Drain_RefusesNewCalls_AndWaitsForTheLiveCallToHangUp()
    {
        await using var rig = await Rig.StartAsync(greet: false);
        await using var caller = await TwilioCaller.ConnectAsync(rig.Server.Addresses[0]);
        await caller.StartAsync();
        caller.Say("What is the weather like today?");
        await caller.NextAsync("media"); // the call is live: the agent answers

        var drained = rig.Server.DrainAsync(Ct);

        // A new call is refused while the node drains (the balancer or Twilio's fallback takes it elsewhere).
        var refused = await Assert.ThrowsAsync<WebSocketException>(() => TwilioCaller.ConnectAsync(rig.Server.Addresses[0]));
        Assert.Contains("503", refused.Message, StringComparison.Ordinal);
        Assert.False(drained.IsCompleted, "the drain waits for the live call");
        await caller.StopAsync(); // the caller hangs up
        Assert.True(await drained.WaitAsync(TimeSpan.FromSeconds(60), Ct), "the drain ended when the call did, before its deadline");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)] // a TEN app's graph (serve --graph), the phone as its agora_rtc node: the marks reach its agent too
    public async Task BargeIn_SendsClear_AndTruncatesAtTheLastEchoedMark(bool tenAppGraph)
    {
        await using var rig = await Rig.StartAsync(greet: false, app: tenAppGraph ? TenAppGraphs.VoiceAssistantRealtime() : null);
        await using var caller = await TwilioCaller.ConnectAsync(rig.Server.Addresses[0]);
        await caller.StartAsync();
        caller.Say("Tell me a long story about the sea, the ships and the sailors.", trailingSilenceMs: 1200);

        // The phone plays the first 15 messages (their marks come back); then it falls behind and echoes nothing.
        const int Played = 15;
        var marks = new List<string>();
        var media = 0;
        while (media < 40)
        {
            var message = await caller.NextAsync("media", async m =>
            {
                var name = m["mark"]!["name"]!.GetValue<string>();
                marks.Add(name);
                if (marks.Count <= Played)
                {
                    await caller.EchoMarkAsync(name);
                }
            });
            media++;
        }
        caller.Say("Stop, stop, please stop talking now.");

        await caller.NextAsync("clear", m =>
        {
            if (m["event"]!.GetValue<string>() == "mark")
            {
                marks.Add(m["mark"]!["name"]!.GetValue<string>());
            }
            return Task.CompletedTask;
        });
        // As Twilio does, every mark the clear dropped comes back: none of them was heard.
        foreach (var name in marks.Skip(Played))
        {
            await caller.EchoMarkAsync(name);
        }
        var truncate = await rig.TruncateAsync();
        Assert.Equal(Played * 20, truncate.GetProperty("audio_end_ms").GetInt32());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Dtmf_ReachesTheSession_AsOneUserText(bool tenAppGraph)
    {
        await using var rig = await Rig.StartAsync(greet: false, app: tenAppGraph ? TenAppGraphs.VoiceAssistantRealtime() : null);
        await using var caller = await TwilioCaller.ConnectAsync(rig.Server.Addresses[0]);
        await caller.StartAsync();

        foreach (var key in new[] { "4", "2", "#" })
        {
            await caller.SendDtmfAsync(key);
        }

        var text = await rig.UserTextAsync();
        Assert.Contains("42", text, StringComparison.Ordinal);
        Assert.Equal("The caller pressed 42 on the phone's keypad.", text);
    }

    [Fact]
    public async Task CustomParameters_SetTheVoiceAndInstructions_OfThatCall()
    {
        await using var rig = await Rig.StartAsync(greet: false);
        await using var caller = await TwilioCaller.ConnectAsync(rig.Server.Addresses[0]);

        await caller.StartAsync(new Dictionary<string, string> { ["voice"] = "verse", ["instructions"] = "You answer the phone for a bakery." });

        var session = await rig.SessionUpdateAsync(s => s.TryGetProperty("instructions", out _));
        Assert.Equal("You answer the phone for a bakery.", session.GetProperty("instructions").GetString());
        Assert.Equal("verse", session.GetProperty("audio").GetProperty("output").GetProperty("voice").GetString());
    }

    [Fact]
    public async Task HangUp_MidAnswer_EndsTheCallCleanly_AndTheLineTakesTheNextCall()
    {
        await using var rig = await Rig.StartAsync(greet: true);
        await using (var first = await TwilioCaller.ConnectAsync(rig.Server.Addresses[0]))
        {
            await first.StartAsync();
            await first.NextAsync("media"); // the greeting is being said
            await first.StopAsync();

            Assert.Equal(WebSocketCloseStatus.NormalClosure, await first.Closed.Task.WaitAsync(TimeSpan.FromSeconds(60), Ct));
            Assert.NotNull(await rig.RealtimeClosed.Task.WaitAsync(TimeSpan.FromSeconds(60), Ct)); // the realtime connection was closed, not dropped
        }

        await using var second = await TwilioCaller.ConnectAsync(rig.Server.Addresses[0]);
        await second.StartAsync();
        await second.NextAsync("media");
    }

    [Fact]
    public async Task BadMessages_AreLoggedAndSkipped_AndTheCallGoesOn()
    {
        var lines = new CapturingLoggerProvider();
        await using var rig = await Rig.StartAsync(greet: true, lines);
        await using var caller = await TwilioCaller.ConnectAsync(rig.Server.Addresses[0]);

        await caller.SendAsync(new JsonObject { ["event"] = "media", ["media"] = new JsonObject { ["payload"] = "AAAA" } });
        await caller.SendRawAsync(Encoding.UTF8.GetBytes("this is not json"), WebSocketMessageType.Text);
        await caller.SendRawAsync([1, 2, 3], WebSocketMessageType.Binary);
        await caller.StartAsync();
        await caller.SendAsync(new JsonObject { ["event"] = "media", ["media"] = new JsonObject { ["payload"] = "!!not base64!!" } });
        await caller.SendAsync(new JsonObject { ["event"] = "transcription", ["streamSid"] = TwilioCaller.StreamSid });
        await caller.SendAsync(TwilioCaller.StartMessage());

        await caller.NextAsync("media"); // the greeting: the call went on
        await caller.StopAsync(); // read after every message before it: once closed, all were handled
        Assert.Equal(WebSocketCloseStatus.NormalClosure, await caller.Closed.Task.WaitAsync(TimeSpan.FromSeconds(60), Ct));

        var log = string.Join("\n", lines.Lines);
        Assert.Contains("a media message before start: skipped", log, StringComparison.Ordinal);
        Assert.Contains("not valid JSON", log, StringComparison.Ordinal);
        Assert.Contains("a binary message", log, StringComparison.Ordinal);
        Assert.Contains("payload is missing or not base64", log, StringComparison.Ordinal);
        Assert.Contains("an unknown event \"transcription\"", log, StringComparison.Ordinal);
        Assert.Contains("a second start message", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMessageOverTheLimit_ClosesTheCall_AsMessageTooBig()
    {
        await using var rig = await Rig.StartAsync(greet: false);
        await using var caller = await TwilioCaller.ConnectAsync(rig.Server.Addresses[0]);
        await caller.StartAsync();

        // A media message with 64 KiB of payload: far beyond any 20 ms of mu-law (160 bytes, 216 as base64).
        var payload = Convert.ToBase64String(new byte[48 * 1024]);
        await caller.SendAsync(new JsonObject { ["event"] = "media", ["streamSid"] = TwilioCaller.StreamSid, ["media"] = new JsonObject { ["payload"] = payload } });

        Assert.Equal(WebSocketCloseStatus.MessageTooBig, await caller.Closed.Task.WaitAsync(TimeSpan.FromSeconds(60), Ct));
    }

    private static double Rms(byte[] muLaw)
    {
        var sum = 0.0;
        foreach (var code in muLaw)
        {
            double s = MuLaw.Decode(code);
            sum += s * s;
        }
        return Math.Sqrt(sum / muLaw.Length);
    }

    /// <summary>A playground whose agent talks to a local realtime server of the test's own, whose client events it keeps.</summary>
    private sealed class Rig : IAsyncDisposable
    {
        private readonly ConcurrentQueue<JsonElement> _events = new();
        private readonly SemaphoreSlim _arrived = new(0);
        private readonly ILoggerFactory _loggers;

        private Rig(ILoggerFactory loggers) => _loggers = loggers;

        public LocalRealtimeServer Realtime { get; private set; } = null!;

        public PlaygroundServer Server { get; private set; } = null!;

        public TaskCompletionSource<WebSocketCloseStatus?> RealtimeClosed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public static async Task<Rig> StartAsync(bool greet, CapturingLoggerProvider? lines = null, PlaygroundGraph? app = null)
        {
            var output = TestLogging.Create();
            var loggers = lines is null ? output : LoggerFactory.Create(b => b.AddProvider(lines).SetMinimumLevel(LogLevel.Information));
            var rig = new Rig(loggers);
            rig.Realtime = await LocalRealtimeServer.StartAsync(new LocalRealtimeServerOptions
            {
                ClientEventObserver = e => rig.Observe(e.Clone()),
                ClientCloseObserver = status => rig.RealtimeClosed.TrySetResult(status),
            }, Ct);
            rig.Server = await LocalPlayground.StartAsync(loggers, o =>
            {
                o.ExtensionProperties["base_uri"] = rig.Realtime.BaseUri.ToString();
                o.ExtensionProperties["greet_on_join"] = greet;
                if (app is not null)
                {
                    o.Graph = app;
                    o.Environment = TenAppGraphs.Environment;
                }
            });
            return rig;
        }

        public Task<JsonElement> TruncateAsync() => EventAsync(e => Type(e) == "conversation.item.truncate");

        public async Task<string> UserTextAsync()
        {
            var create = await EventAsync(e => Type(e) == "conversation.item.create"
                && e.GetProperty("item").TryGetProperty("content", out var c) && c[0].TryGetProperty("text", out _));
            return create.GetProperty("item").GetProperty("content")[0].GetProperty("text").GetString()!;
        }

        public async Task<JsonElement> SessionUpdateAsync(Func<JsonElement, bool> match) =>
            (await EventAsync(e => Type(e) == "session.update" && match(e.GetProperty("session")))).GetProperty("session");

        public async ValueTask DisposeAsync()
        {
            await Server.DisposeAsync();
            await Realtime.DisposeAsync();
            _loggers.Dispose();
        }

        private void Observe(JsonElement e)
        {
            _events.Enqueue(e);
            _arrived.Release();
        }

        private async Task<JsonElement> EventAsync(Func<JsonElement, bool> match)
        {
            using var guard = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            guard.CancelAfter(TimeSpan.FromSeconds(60));
            var seen = 0;
            while (true)
            {
                var found = _events.Skip(seen).FirstOrDefault(match);
                if (found.ValueKind != JsonValueKind.Undefined)
                {
                    return found;
                }
                seen = 0;
                await _arrived.WaitAsync(guard.Token);
            }
        }

        private static string? Type(JsonElement e) => e.TryGetProperty("type", out var t) ? t.GetString() : null;
    }
}
