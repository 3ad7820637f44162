using System.Text.Json.Nodes;
using V2V.AspNetCore.Tests.Support;
using V2V.Testing;

namespace V2V.AspNetCore.Tests;

/// <summary>A page's whole conversation through <c>MapVoiceAgent</c>: a real WebSocket, Kestrel, and the local realtime server.</summary>
public sealed class VoiceAgentConversationTests
{
    [Fact]
    public async Task ASpokenQuestion_IsAnsweredWithTranscripts_AndPacedAudioAtTheSessionsOutputRate()
    {
        await using var app = await VoiceAgentApp.StartAsync(session: o =>
        {
            o.OutputSampleRate = 16000;
            o.InputTranscript = true;
        });
        await using var page = await PageClient.ConnectAsync(app.VoiceUri);
        await page.StartAsync(48000);

        var ready = await page.NextAsync("ready");
        Assert.Equal(16000, (int)ready["outputSampleRate"]!);
        await page.SpeakAsync(Speech.Pcm16("What is the weather in Paris today?", 48000, 1, leadingSilenceMs: 300, trailingSilenceMs: 1500), 48000);

        var user = await page.NextAsync(m => Is(m, "transcript", "user") && (bool)m["final"]!, "the user's transcript");
        var answer = await page.NextAnswerAsync("the answer");
        Assert.False(string.IsNullOrWhiteSpace((string?)user["text"]));
        Assert.False(answer.Interrupted);
        Assert.NotNull(answer.ItemId);
        Assert.Contains(page.Texts, t => t.Contains("\"kind\":\"first_audio\"", StringComparison.Ordinal));
        // Every message of the agent's voice is one 10 ms frame at the session's rate: 160 samples, 320 bytes.
        Assert.True(page.AudioMessages > 50, $"{page.AudioMessages} audio messages");
        Assert.Equal([320], page.AudioSizes);
        Assert.DoesNotContain(page.Texts, t => t.Contains(VoiceAgentApp.ApiKey, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ATypedTurn_IsAnswered_AndAnInterruptFlushesTheAnswerAndClosesItsTranscriptAsInterrupted()
    {
        await using var app = await VoiceAgentApp.StartAsync();
        await using var page = await PageClient.ConnectAsync(app.VoiceUri);
        await page.StartAsync(16000);
        await page.NextAsync("ready");

        await page.SendJsonAsync(new JsonObject { ["type"] = "text", ["text"] = "Please tell me a long story about the history of Paris and all of its old bridges over the river and the people who built them." });
        await page.AudioAsync(30, "the answer playing");
        await page.SendJsonAsync(new JsonObject { ["type"] = "interrupt" });

        var flush = await page.NextAsync("flush");
        var cut = await page.NextAsync(m => Is(m, "transcript", "assistant") && (bool)m["interrupted"]!, "the answer's transcript closed as interrupted");
        var heard = page.AudioMessages;
        Assert.NotNull((string?)flush["itemId"]);
        Assert.True((bool)cut["final"]!);
        Assert.Equal((string?)flush["itemId"], (string?)cut["itemId"]);
        // The answer was several seconds long: after the flush no more of it comes (an echo of the whole would be hundreds of frames).
        await page.SendJsonAsync(new JsonObject { ["type"] = "text", ["text"] = "And now?" });
        Assert.Contains("And now?", (await page.NextAnswerAsync("the next answer")).Text, StringComparison.Ordinal);
        Assert.True(page.AudioMessages - heard < 400, $"{page.AudioMessages - heard} frames after the flush");
    }

    [Fact]
    public async Task AGreetingConfiguredForTheSocket_IsSpokenOnceThePageIsReady_AndStopClosesNormally()
    {
        await using var app = await VoiceAgentApp.StartAsync(endpoint: e => e.ConfigureSession = (http, o, _) =>
        {
            o.Greeting = $"Hello {http.Request.Query["name"]}, how can I help?";
            return ValueTask.CompletedTask;
        });
        await using var page = await PageClient.ConnectAsync(new Uri(app.VoiceUri + "?name=Ada"));
        await page.StartAsync(24000);

        var greeting = await page.NextAnswerAsync("the greeting");
        Assert.Equal("Hello Ada, how can I help?", greeting.Text);
        Assert.True(page.AudioMessages > 0);

        await page.SendJsonAsync(new JsonObject { ["type"] = "stop" });
        Assert.Equal(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, await page.ClosedAsync());
    }

    [Fact]
    public async Task AMalformedMessage_IsANonFatalErrorNamingWhatIsWrong_AndTheSessionGoesOn()
    {
        await using var app = await VoiceAgentApp.StartAsync();
        await using var page = await PageClient.ConnectAsync(app.VoiceUri);
        await page.StartAsync(16000);
        await page.NextAsync("ready");

        await page.SendTextAsync("{\"type\":\"text\",\"text\":42}");
        var bad = await page.NextAsync("error");
        await page.SendTextAsync("not json");
        var notJson = await page.NextAsync("error");
        await page.SendJsonAsync(new JsonObject { ["type"] = "dance" });
        var unknown = await page.NextAsync("error");
        await page.SendJsonAsync(new JsonObject { ["type"] = "mcp_approval", ["requestId"] = "nope", ["approve"] = true });
        var refused = await page.NextAsync("error");

        Assert.Equal(("bad_message", false), ((string?)bad["code"], (bool)bad["fatal"]!));
        Assert.Contains("'text'", (string?)bad["message"], StringComparison.Ordinal);
        Assert.Contains("not JSON", (string?)notJson["message"], StringComparison.Ordinal);
        Assert.Contains("'dance'", (string?)unknown["message"], StringComparison.Ordinal);
        Assert.Equal(("mcp_approval_refused", false), ((string?)refused["code"], (bool)refused["fatal"]!));

        await page.SendJsonAsync(new JsonObject { ["type"] = "text", ["text"] = "Still there?" });
        var answer = await page.NextAnswerAsync("an answer after the errors");
        Assert.Contains("Still there?", answer.Text, StringComparison.Ordinal);
    }

    private static bool Is(JsonObject message, string type, string role) => (string?)message["type"] == type && (string?)message["role"] == role;
}
