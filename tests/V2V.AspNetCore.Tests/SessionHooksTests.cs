using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using V2V.AspNetCore.Tests.Support;
using V2V.Voice;
using V2V.Voice.Outputs;

namespace V2V.AspNetCore.Tests;

/// <summary>The app's own hold on its sessions: <c>OnSessionStarted</c> (the session, before the page is ready) and <c>OnEvent</c> (its events, in order).</summary>
public sealed class SessionHooksTests
{
    [Fact]
    public async Task TheApp_GetsTheSessionBeforeReady_AndEveryEventInOrder_ToStoreTheConversation()
    {
        var stored = new ConcurrentQueue<string>();
        VoiceSession? kept = null;
        var stateAtStart = (VoiceSessionState?)null;
        await using var app = await VoiceAgentApp.StartAsync(endpoint: o =>
        {
            o.OnSessionStarted = (http, session, _) =>
            {
                kept = session;
                stateAtStart = session.State;
                return ValueTask.CompletedTask;
            };
            o.OnEvent = (http, e, _) =>
            {
                if (e is TranscriptOutput { IsFinal: true } line)
                {
                    stored.Enqueue($"{line.Role}: {line.Text}");
                }
                return ValueTask.CompletedTask;
            };
        });
        await using var page = await PageClient.ConnectAsync(app.VoiceUri);
        await page.StartAsync(16000);
        await page.NextAsync("ready");
        Assert.NotNull(kept);
        Assert.Equal(VoiceSessionState.Connected, stateAtStart);

        // What the app does to the session from elsewhere reaches the conversation: new instructions, then a turn.
        await kept!.UpdateInstructionsAsync("You are terse.", TestContext.Current.CancellationToken);
        await page.SendJsonAsync(new JsonObject { ["type"] = "text", ["text"] = "Remember this line." });
        var answer = await page.NextAnswerAsync("the answer");

        Assert.Contains(stored, s => s.StartsWith("Assistant: ", StringComparison.Ordinal) && s.Contains("Remember this line.", StringComparison.Ordinal));
        Assert.Contains("Remember this line.", answer.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnOnEventThatThrows_IsLogged_AndTheSessionGoesOn()
    {
        await using var app = await VoiceAgentApp.StartAsync(endpoint: o => o.OnEvent = (_, _, _) => throw new InvalidOperationException("the store is down"));
        await using var page = await PageClient.ConnectAsync(app.VoiceUri);
        await page.StartAsync(16000);
        await page.NextAsync("ready");

        await page.SendJsonAsync(new JsonObject { ["type"] = "text", ["text"] = "Are you there?" });
        Assert.Contains("Are you there?", (await page.NextAnswerAsync("the answer")).Text, StringComparison.Ordinal);
        Assert.Contains(app.Logs.Collector.GetSnapshot(), r => r.Message.Contains("OnEvent threw", StringComparison.Ordinal) && r.Exception?.Message == "the store is down");
    }

    [Fact]
    public async Task AnOnSessionStartedThatThrows_RefusesTheSession_AsStartFailed()
    {
        await using var app = await VoiceAgentApp.StartAsync(endpoint: o => o.OnSessionStarted = (_, _, _) => throw new UnauthorizedAccessException("no voice for this user"));
        await using var page = await PageClient.ConnectAsync(app.VoiceUri);
        await page.StartAsync(16000);

        var error = await page.NextAsync("error");
        Assert.Equal("start_failed", (string?)error["code"]);
        Assert.Contains("no voice for this user", (string?)error["message"], StringComparison.Ordinal);
        Assert.Equal(System.Net.WebSockets.WebSocketCloseStatus.InternalServerError, await page.ClosedAsync());
    }
}
