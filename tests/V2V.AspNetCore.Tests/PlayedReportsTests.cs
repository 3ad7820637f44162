using System.Text.Json.Nodes;
using V2V.AspNetCore.Tests.Support;

namespace V2V.AspNetCore.Tests;

/// <summary>
/// A page that says what it played (<c>reportsPlayed</c>): the agent's voice comes with its items named
/// (<c>audio_item</c>), and a barge-in truncates the answer where the page's last <c>played</c> said the listener was,
/// not where the server handed the audio to the socket.
/// </summary>
public sealed class PlayedReportsTests
{
    [Fact]
    public async Task ABargeIn_TruncatesTheAnswerAtThePagesLastReport_NotAtWhatWasSent()
    {
        await using var app = await VoiceAgentApp.StartAsync();
        await using var page = await PageClient.ConnectAsync(app.VoiceUri);
        await page.SendJsonAsync(new JsonObject { ["type"] = "start", ["sampleRate"] = 16000, ["reportsPlayed"] = true });
        await page.NextAsync("ready");

        await page.SendJsonAsync(new JsonObject { ["type"] = "text", ["text"] = "Please tell me a long story about the history of Paris and all of its old bridges over the river." });
        var item = (string)(await page.NextAsync("audio_item"))["itemId"]!;
        await page.AudioAsync(80, "the answer playing"); // 800 ms of it sent
        await page.SendJsonAsync(new JsonObject { ["type"] = "played", ["itemId"] = item, ["ms"] = 250 });
        await page.SendJsonAsync(new JsonObject { ["type"] = "interrupt" });

        Assert.Equal(item, (string?)(await page.NextAsync("flush"))["itemId"]);
        await page.NextAsync(m => (string?)m["type"] == "transcript" && (bool)m["interrupted"]!, "the answer's words closed as interrupted");
        // The answer may be of two items (the local server speaks a long text as two): the one playing is cut at the
        // report; one whose audio had begun to come, none of it played, at 0.
        var truncates = await app.SentAsync("conversation.item.truncate", t => t.GetProperty("item_id").GetString() == item);
        var truncate = Assert.Single(truncates, t => t.GetProperty("item_id").GetString() == item);
        Assert.Equal(250, truncate.GetProperty("audio_end_ms").GetInt32());
        Assert.All(truncates.Where(t => t.GetProperty("item_id").GetString() != item), t => Assert.Equal(0, t.GetProperty("audio_end_ms").GetInt32()));
    }

    [Fact]
    public async Task APageThatDoesNotReport_HasTheAnswerTruncatedAtWhatWasSent_AndItsStrayReportsIgnored()
    {
        await using var app = await VoiceAgentApp.StartAsync();
        await using var page = await PageClient.ConnectAsync(app.VoiceUri);
        await page.StartAsync(16000);
        await page.NextAsync("ready");

        await page.SendJsonAsync(new JsonObject { ["type"] = "text", ["text"] = "Please tell me a long story about the history of Paris and all of its old bridges over the river." });
        var item = (string)(await page.NextAsync("audio_item"))["itemId"]!;
        await page.AudioAsync(80, "the answer playing");
        await page.SendJsonAsync(new JsonObject { ["type"] = "played", ["itemId"] = item, ["ms"] = 250 });
        await page.SendJsonAsync(new JsonObject { ["type"] = "interrupt" });

        await page.NextAsync("flush");
        var sentMs = page.AudioMessages * 10; // every message is 10 ms; a few more may be on their way
        var truncate = Assert.Single(await app.SentAsync("conversation.item.truncate", t => t.GetProperty("item_id").GetString() == item), t => t.GetProperty("item_id").GetString() == item);
        Assert.InRange(truncate.GetProperty("audio_end_ms").GetInt32(), 800, sentMs + 100);
    }

    [Fact]
    public async Task AMalformedReport_IsANonFatalErrorNamingTheField()
    {
        await using var app = await VoiceAgentApp.StartAsync();
        await using var page = await PageClient.ConnectAsync(app.VoiceUri);
        await page.SendJsonAsync(new JsonObject { ["type"] = "start", ["sampleRate"] = 16000, ["reportsPlayed"] = true });
        await page.NextAsync("ready");

        await page.SendJsonAsync(new JsonObject { ["type"] = "played", ["itemId"] = "item_1", ["ms"] = -5 });
        var negative = await page.NextAsync("error");
        await page.SendJsonAsync(new JsonObject { ["type"] = "played", ["ms"] = 5 });
        var noItem = await page.NextAsync("error");

        Assert.Equal(("bad_message", false), ((string?)negative["code"], (bool)negative["fatal"]!));
        Assert.Contains("'ms'", (string?)negative["message"], StringComparison.Ordinal);
        Assert.Contains("'itemId'", (string?)noItem["message"], StringComparison.Ordinal);
    }
}
