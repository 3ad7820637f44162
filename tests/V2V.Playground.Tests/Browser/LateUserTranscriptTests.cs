using V2V.Playground.Tests.Support;
using V2V.Simulator;

using V2V.Testing.Browser;

namespace V2V.Playground.Tests.Browser;

/// <summary>
/// The service transcribes a spoken turn after it has begun answering it, often after the answer has been heard: the
/// page still shows the question before its answer.
/// </summary>
public sealed class LateUserTranscriptTests
{
    [Fact]
    public async Task AQuestionTranscribedAfterItsAnswer_IsShownBeforeIt()
    {
        // The user's words come 20 s after the commit, long after the answer (a few seconds of audio) closed.
        await using var realtime = await LocalRealtimeServer.StartAsync(new LocalRealtimeServerOptions { TranscriptionDelay = TimeSpan.FromSeconds(20) }, TestContext.Current.CancellationToken);
        using var loggers = TestLogging.Create();
        await using var server = await LocalPlayground.StartAsync(loggers, o => o.ExtensionProperties["base_uri"] = realtime.BaseUri.ToString());
        await using var chromium = await Chromium.LaunchAsync();
        var page = new PlaygroundPage(await chromium.NewPageAsync(server.PageUrl));
        await page.OpenAsync(server.PageUrl);

        await page.StartAsync();
        await page.SpeakAsync(TestAudio.Question());

        // The answer closes while the question's words are still to come: its line is kept, before the answer's (after
        // the greeting's).
        await page.WaitForAsync("s.transcript.some(t => t.role === 'assistant' && t.final && t.text.includes('I heard'))", "the agent's final answer");
        var stats = await page.StatsAsync();
        var lines = stats.GetProperty("transcript").EnumerateArray().Select(t => (Role: t.GetProperty("role").GetString(), Final: t.GetProperty("final").GetBoolean(), Text: t.GetProperty("text").GetString())).ToList();
        var question = lines.FindIndex(l => l.Role == "user");
        Assert.True(question >= 0 && !lines[question].Final, "the question's line is kept, its words still to come");
        Assert.True(question < lines.FindIndex(l => l.Role == "assistant" && l.Text!.Contains("I heard", StringComparison.Ordinal)), "before the answer");
        Assert.Contains("…", await page.TextAsync("#transcript"), StringComparison.Ordinal);

        // Its words fill that line when they come.
        await page.WaitForAsync($"s.transcript[{question}].role === 'user' && s.transcript[{question}].final && s.transcript[{question}].text.length > 0", "the question's words in its line");
        Assert.Single((await page.StatsAsync()).GetProperty("transcript").EnumerateArray(), t => t.GetProperty("role").GetString() == "user");
    }
}
