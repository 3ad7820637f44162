using V2V.Playground.Tests.Support;

using V2V.Testing.Browser;

namespace V2V.Playground.Tests.Browser;

/// <summary>Two browser contexts at once: each has a graph of its own.</summary>
public sealed class ConcurrentSessionsTests
{
    [Fact]
    public async Task TwoBrowsers_HaveIndependentSessions()
    {
        using var loggers = TestLogging.Create();
        await using var server = await LocalPlayground.StartAsync(loggers);
        await using var chromium = await Chromium.LaunchAsync();
        var first = new PlaygroundPage(await chromium.NewPageAsync(server.PageUrl));
        var second = new PlaygroundPage(await chromium.NewPageAsync(server.PageUrl));
        await first.OpenAsync(server.PageUrl);
        await second.OpenAsync(server.PageUrl);

        await Task.WhenAll(first.StartAsync(voice: "alloy"), second.StartAsync(voice: "verse"));
        await Task.WhenAll(first.SpeakAsync(TestAudio.Question()), second.SpeakAsync(TestAudio.Question()));

        foreach (var page in new[] { first, second })
        {
            await page.WaitForAsync("s.transcript.some(t => t.role === 'assistant' && t.final)", "its own answer");
            await page.WaitForAsync("s.playedSamples > 0", "its own audio playing");
        }
        var a = (await first.StatsAsync()).GetProperty("session").GetString();
        var b = (await second.StatsAsync()).GetProperty("session").GetString();
        Assert.False(string.IsNullOrEmpty(a));
        Assert.NotEqual(a, b);

        // Stopping one leaves the other running.
        await first.StopAsync();
        await first.WaitForAsync("s.state === 'stopped'", "the first session stopped");
        Assert.NotEqual("stopped", (await second.StatsAsync()).GetProperty("state").GetString());
    }
}
