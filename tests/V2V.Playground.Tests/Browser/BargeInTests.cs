using Microsoft.Extensions.Logging;
using V2V.Playground.Tests.Support;

using V2V.Testing.Browser;

namespace V2V.Playground.Tests.Browser;

/// <summary>Speech while the agent talks: the server flushes, the page drops what it had buffered at once.</summary>
public sealed class BargeInTests
{
    [Fact]
    public async Task SpeechDuringTheAnswer_FlushesThePlayer_AndMarksTheTurnInterrupted()
    {
        var lines = new LogLineWaiter();
        using var loggers = LoggerFactory.Create(b => b.AddProvider(lines).SetMinimumLevel(LogLevel.Information));
        // The embedded local realtime server, at the service's pace: the whole answer arrives long before it is heard.
        await using var server = await LocalPlayground.StartAsync(loggers);
        await using var chromium = await Chromium.LaunchAsync();
        var page = new PlaygroundPage(await chromium.NewPageAsync(server.PageUrl));
        await page.OpenAsync(server.PageUrl);

        await page.StartAsync();
        await page.SpeakAsync(TestAudio.LongRequest());
        // The interruption is spoken while the answer plays, whenever that is: the page's player says so (an answer to
        // a user's turn is the one with a time to first audio).
        await page.SpeakAsync(TestAudio.Interruption(), when: "s.state === 'agent speaking' && s.playedSamples > 0 && s.events.some(e => e.kind === 'first_audio')", what: "the answer playing");

        await page.WaitForAsync("s.flushes >= 1 && s.lastFlush !== null", "a flush reaching the player");
        var stats = await page.StatsAsync();
        var flush = stats.GetProperty("lastFlush");
        Assert.Equal(0, flush.GetProperty("bufferedAfter").GetInt32());
        // The page says what its player played: the answer was cut where the listener was, never past it (what the page
        // had received, buffered to ride over the network's jitter, was ahead of that).
        var cutItem = flush.GetProperty("itemId").GetString()!;
        var truncated = await lines.WaitAsync(l => l.Contains($"truncated {cutItem} at ", StringComparison.Ordinal)).WaitAsync(PlaygroundPage.Patience, TestContext.Current.CancellationToken);
        var truncatedAt = int.Parse(System.Text.RegularExpressions.Regex.Match(truncated, $@"truncated {cutItem} at (\d+) ms").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(truncatedAt, 1, flush.GetProperty("playedMs").GetDouble() + 0.5);
        Assert.True(stats.GetProperty("timeline").GetProperty("interruptions").GetArrayLength() >= 1);

        await page.WaitForAsync("s.transcript.some(t => t.role === 'assistant' && t.final && t.interrupted)", "the interrupted agent turn marked");
        // The conversation goes on: the barge-in's own turn is answered in full.
        await page.WaitForAsync("s.transcript.filter(t => t.role === 'assistant' && t.final && !t.interrupted).length >= 1", "the answer after the barge-in");
        // One line for the cut turn: the words of it heard (its closing piece, after the flush) fill the line the flush
        // marked, and are a beginning of the answer, not its end.
        Assert.Equal(1, await page.Page.Locator("#transcript .line.assistant.interrupted").CountAsync());
        var cut = (await page.StatsAsync()).GetProperty("transcript").EnumerateArray()
            .Single(t => t.GetProperty("role").GetString() == "assistant" && t.GetProperty("interrupted").GetBoolean());
        Assert.DoesNotContain("back.", cut.GetProperty("text").GetString(), StringComparison.Ordinal);
        TestContext.Current.TestOutputHelper?.WriteLine($"page stats: {await page.StatsJsonAsync()}");
    }
}
