using V2V.Playground.Tests.Support;

using V2V.Testing.Browser;

namespace V2V.Playground.Tests.Browser;

/// <summary>A real browser, whose microphone the test speaks into, talks to the playground backed by the local realtime server.</summary>
public sealed class SpokenQuestionTests
{
    [Fact]
    public async Task SpokenQuestion_ShowsUserAndAgentTranscript_AndPlaysTheAnswer()
    {
        using var loggers = TestLogging.Create();
        await using var server = await LocalPlayground.StartAsync(loggers);
        await using var chromium = await Chromium.LaunchAsync();
        var page = new PlaygroundPage(await chromium.NewPageAsync(server.PageUrl));
        await page.OpenAsync(server.PageUrl);
        Assert.Contains("local realtime server", await page.TextAsync("#backend"), StringComparison.Ordinal);

        await page.StartAsync(voice: "coral", instructions: "Answer briefly.");
        await page.SpeakAsync(TestAudio.Question());

        await page.WaitForAsync("s.transcript.some(t => t.role === 'user' && t.final && t.text.length > 0)", "a final user line");
        await page.WaitForAsync("s.transcript.some(t => t.role === 'assistant' && t.final && t.text.includes('I heard'))", "the agent's final answer");
        // Half a second of the answer really played by the page's player (24 kHz samples).
        await page.WaitForAsync("s.playedSamples >= 12000", "the answer playing");
        await page.WaitForAsync("s.timeline.ttfa.length >= 1 && s.timeline.userSpans.length >= 1 && s.timeline.agentSpans.length >= 1", "the timeline's spans and time to first audio");

        var stats = await page.StatsAsync();
        Assert.True(stats.GetProperty("framesReceived").GetInt32() > 0);
        Assert.Equal(0, stats.GetProperty("flushes").GetInt32());
        Assert.Contains("I heard", await page.TextAsync("#transcript"), StringComparison.Ordinal);
        Assert.Contains("time to first audio", await page.Page.Locator("#timeline").GetAttributeAsync("aria-label") ?? "", StringComparison.Ordinal);

        await page.StopAsync();
        await page.WaitForAsync("s.state === 'stopped'", "the stopped state");
    }
}
