using System.Net.WebSockets;
using System.Text.Json.Nodes;
using V2V.AspNetCore.Tests.Support;

namespace V2V.AspNetCore.Tests;

/// <summary>
/// A page whose socket is lost without a close (a phone changing networks) takes its session back on a new socket
/// (<c>resume</c> with the token of its last <c>ready</c>): the same session, the conversation going on, the answer that
/// was playing cut where the listener was. Sockets dropped here with <see cref="PageClient.Drop"/> (no close frame).
/// </summary>
public sealed class ResumeTests
{
    private const string LongQuestion = "Please tell me a long story about the history of Paris and all of its old bridges over the river.";

    [Fact]
    public async Task APageThatLosesItsSocket_ResumesTheSameSessionOnANewOne_AndTheConversationGoesOn()
    {
        var started = 0;
        await using var app = await VoiceAgentApp.StartAsync(endpoint: o => o.OnSessionStarted = (_, _, _) =>
        {
            Interlocked.Increment(ref started);
            return ValueTask.CompletedTask;
        });
        await using var first = await PageClient.ConnectAsync(app.VoiceUri);
        await first.StartAsync(16000);
        var ready = await first.NextAsync("ready");
        Assert.False((bool)ready["resumed"]!);
        Assert.Equal(30000, (int)ready["resumeWithinMs"]!);
        await first.SendJsonAsync(new JsonObject { ["type"] = "text", ["text"] = "Good morning" });
        Assert.Contains("Good morning", (await first.NextAnswerAsync("the first answer")).Text, StringComparison.Ordinal);

        first.Drop();
        await using var second = await PageClient.ConnectAsync(app.VoiceUri);
        await second.ResumeAsync((string)ready["resumeToken"]!, 24000);
        var resumed = await second.NextAsync("ready");
        await second.SendJsonAsync(new JsonObject { ["type"] = "text", ["text"] = "Are you still there?" });
        var answer = await second.NextAnswerAsync("the answer on the new socket");

        Assert.True((bool)resumed["resumed"]!);
        Assert.Equal((string?)ready["session"], (string?)resumed["session"]);
        Assert.NotEqual((string?)ready["resumeToken"], (string?)resumed["resumeToken"]);
        Assert.Contains("Are you still there?", answer.Text, StringComparison.Ordinal);
        Assert.Equal(1, Volatile.Read(ref started));
        Assert.Contains(app.Logs.Collector.GetSnapshot(), r => r.Message.Contains("resumed its session", StringComparison.Ordinal));
        Assert.DoesNotContain(app.Logs.Collector.GetSnapshot(), r => r.Message.Contains((string)ready["resumeToken"]!, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ASocketLostWhileTheAgentSpeaks_CutsTheAnswerWhereTheListenerWas_AndTheNewSocketIsToldOfTheCut()
    {
        await using var app = await VoiceAgentApp.StartAsync();
        await using var first = await PageClient.ConnectAsync(app.VoiceUri);
        await first.SendJsonAsync(new JsonObject { ["type"] = "start", ["sampleRate"] = 16000, ["reportsPlayed"] = true });
        var ready = await first.NextAsync("ready");
        await first.SendJsonAsync(new JsonObject { ["type"] = "text", ["text"] = LongQuestion });
        var item = (string)(await first.NextAsync("audio_item"))["itemId"]!;
        await first.AudioAsync(40, "the answer playing");
        await first.SendJsonAsync(new JsonObject { ["type"] = "played", ["itemId"] = item, ["ms"] = 200 });
        // The pong says the report was read (the page's messages are read in order): a socket dropped at once may lose
        // what it sent last (a reset discards it), and the truncate is then at the report before, as it should be.
        await first.SendJsonAsync(new JsonObject { ["type"] = "ping", ["id"] = 1 });
        await first.NextAsync("pong");

        first.Drop();
        var truncate = Assert.Single(await app.SentAsync("conversation.item.truncate", t => t.GetProperty("item_id").GetString() == item), t => t.GetProperty("item_id").GetString() == item);
        Assert.Equal(200, truncate.GetProperty("audio_end_ms").GetInt32());

        await using var second = await PageClient.ConnectAsync(app.VoiceUri);
        await second.ResumeAsync((string)ready["resumeToken"]!, 16000);
        await second.NextAsync("ready");
        // What happened while the page was away comes after its ready: the cut, and the words the listener heard.
        Assert.Equal(item, (string?)(await second.NextAsync("flush"))["itemId"]);
        var cut = await second.NextAsync(m => (string?)m["type"] == "transcript" && (bool)m["interrupted"]!, "the answer's words closed as interrupted");
        Assert.Equal(item, (string?)cut["itemId"]);
        Assert.Equal(0, second.AudioMessages); // none of the cut answer's voice comes to the new socket
    }

    [Fact]
    public async Task AResumeWithAnUnknownOrUsedToken_IsRefusedByName_AndClosed()
    {
        await using var app = await VoiceAgentApp.StartAsync();
        await using var stranger = await PageClient.ConnectAsync(app.VoiceUri);
        await stranger.ResumeAsync("not-a-token-of-any-session", 16000);
        var refused = await stranger.NextAsync("error");

        await using var first = await PageClient.ConnectAsync(app.VoiceUri);
        await first.StartAsync(16000);
        var token = (string)(await first.NextAsync("ready"))["resumeToken"]!;
        first.Drop();
        await using var second = await PageClient.ConnectAsync(app.VoiceUri);
        await second.ResumeAsync(token, 16000);
        await second.NextAsync("ready");
        await using var third = await PageClient.ConnectAsync(app.VoiceUri);
        await third.ResumeAsync(token, 16000); // good once
        var reused = await third.NextAsync("error");

        Assert.Equal(("resume_failed", true), ((string?)refused["code"], (bool)refused["fatal"]!));
        Assert.Contains("start a new session", (string?)refused["message"], StringComparison.Ordinal);
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await stranger.ClosedAsync());
        Assert.Equal("resume_failed", (string?)reused["code"]);
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await third.ClosedAsync());
        Assert.False(second.IsOver); // the session's own socket goes on
    }

    [Fact]
    public async Task APageThatDoesNotComeBackInTime_HasItsSessionEnded_AndItsSlotFreed()
    {
        await using var app = await VoiceAgentApp.StartAsync(endpoint: o =>
        {
            o.MaxSessions = 1;
            o.ResumeWindow = TimeSpan.FromMilliseconds(300);
        });
        await using var first = await PageClient.ConnectAsync(app.VoiceUri);
        await first.StartAsync(16000);
        var token = (string)(await first.NextAsync("ready"))["resumeToken"]!;

        first.Drop();
        await WaitForLogAsync(app, "did not come back");
        await using var late = await PageClient.ConnectAsync(app.VoiceUri);
        await late.ResumeAsync(token, 16000);
        var refused = await late.NextAsync("error");
        await using var next = await PageClient.ConnectAsync(app.VoiceUri);
        await next.StartAsync(16000);

        Assert.Equal("resume_failed", (string?)refused["code"]);
        Assert.False((bool)(await next.NextAsync("ready"))["resumed"]!); // the one slot is free again
    }

    [Fact]
    public async Task APageThatClosesItsSocketOrStops_EndsItsSession_WhichCannotBeResumed()
    {
        await using var app = await VoiceAgentApp.StartAsync();
        await using var closing = await PageClient.ConnectAsync(app.VoiceUri);
        await closing.StartAsync(16000);
        var closedToken = (string)(await closing.NextAsync("ready"))["resumeToken"]!;
        await closing.CloseAsync();
        await using var stopping = await PageClient.ConnectAsync(app.VoiceUri);
        await stopping.StartAsync(16000);
        var stoppedToken = (string)(await stopping.NextAsync("ready"))["resumeToken"]!;
        await stopping.SendJsonAsync(new JsonObject { ["type"] = "stop" });
        Assert.Equal(WebSocketCloseStatus.NormalClosure, await stopping.ClosedAsync());
        await WaitForLogAsync(app, "Voice session ended", count: 2);

        foreach (var token in new[] { closedToken, stoppedToken })
        {
            await using var again = await PageClient.ConnectAsync(app.VoiceUri);
            await again.ResumeAsync(token, 16000);
            Assert.Equal("resume_failed", (string?)(await again.NextAsync("error"))["code"]);
        }
    }

    [Fact]
    public async Task ANewSocketOfThePage_ReplacesOneThatStillLooksOpen()
    {
        await using var app = await VoiceAgentApp.StartAsync();
        await using var first = await PageClient.ConnectAsync(app.VoiceUri);
        await first.StartAsync(16000);
        var token = (string)(await first.NextAsync("ready"))["resumeToken"]!;

        // The page's network changed, and it knew before the server did: its old socket is still open there.
        await using var second = await PageClient.ConnectAsync(app.VoiceUri);
        await second.ResumeAsync(token, 16000);
        Assert.True((bool)(await second.NextAsync("ready"))["resumed"]!);
        await second.SendJsonAsync(new JsonObject { ["type"] = "text", ["text"] = "Hello again" });

        Assert.Contains("Hello again", (await second.NextAnswerAsync("the answer on the new socket")).Text, StringComparison.Ordinal);
        await first.ClosedAsync(); // the old socket was dropped
        Assert.Null(first.CloseStatus);
    }

    [Fact]
    public async Task AnotherUsersRequest_CannotTakeASessionOver_EvenWithItsToken()
    {
        await using var app = await VoiceAgentApp.StartAsync(signIn: true);
        await using var alice = await PageClient.ConnectAsync(app.VoiceUri, user: "alice");
        await alice.StartAsync(16000);
        var token = (string)(await alice.NextAsync("ready"))["resumeToken"]!;

        await using var mallory = await PageClient.ConnectAsync(app.VoiceUri, user: "mallory");
        await mallory.ResumeAsync(token, 16000);

        Assert.Equal("resume_failed", (string?)(await mallory.NextAsync("error"))["code"]);
        Assert.False(alice.IsOver);
        await alice.SendJsonAsync(new JsonObject { ["type"] = "text", ["text"] = "Still mine" });
        Assert.Contains("Still mine", (await alice.NextAnswerAsync("alice's answer")).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutAResumeWindow_ReadyHasNoToken_AndALostSocketEndsItsSession()
    {
        await using var app = await VoiceAgentApp.StartAsync(endpoint: o =>
        {
            o.ResumeWindow = TimeSpan.Zero;
            o.MaxSessions = 1;
        });
        await using var first = await PageClient.ConnectAsync(app.VoiceUri);
        await first.StartAsync(16000);
        var ready = await first.NextAsync("ready");
        first.Drop();
        await WaitForLogAsync(app, "Voice session ended");
        await using var next = await PageClient.ConnectAsync(app.VoiceUri);
        await next.StartAsync(16000);

        Assert.Null(ready["resumeToken"]);
        await next.NextAsync("ready");
    }

    [Fact]
    public async Task AResumeWithoutItsToken_IsABadStartNamingTheField()
    {
        await using var app = await VoiceAgentApp.StartAsync();
        await using var page = await PageClient.ConnectAsync(app.VoiceUri);
        await page.SendJsonAsync(new JsonObject { ["type"] = "resume", ["sampleRate"] = 16000 });

        var error = await page.NextAsync("error");
        Assert.Equal("bad_start", (string?)error["code"]);
        Assert.Contains("'token'", (string?)error["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task APing_IsAnsweredWithItsId_AndOneWithoutAnIdIsANonFatalError()
    {
        await using var app = await VoiceAgentApp.StartAsync();
        await using var page = await PageClient.ConnectAsync(app.VoiceUri);
        await page.StartAsync(16000);
        await page.NextAsync("ready");

        await page.SendJsonAsync(new JsonObject { ["type"] = "ping", ["id"] = 7 });
        var pong = await page.NextAsync("pong");
        await page.SendJsonAsync(new JsonObject { ["type"] = "ping" });
        var error = await page.NextAsync("error");

        Assert.Equal(7, (long)pong["id"]!);
        Assert.Equal(("bad_message", false), ((string?)error["code"], (bool)error["fatal"]!));
        Assert.Contains("'id'", (string?)error["message"], StringComparison.Ordinal);
    }

    private static async Task WaitForLogAsync(VoiceAgentApp app, string text, int count = 1)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (app.Logs.Collector.GetSnapshot().Count(r => r.Message.Contains(text, StringComparison.Ordinal)) < count)
        {
            Assert.True(waited.Elapsed < TimeSpan.FromMinutes(1), $"no log line '{text}' within a minute");
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }
}
