using System.Collections.Concurrent;
using V2V.Playground.Tests.Support;
using V2V.Simulator;

using V2V.Testing.Browser;

namespace V2V.Playground.Tests.Browser;

/// <summary>The page's settings reach the agent's session, and a spoken turn completes under each turn mode.</summary>
public sealed class SettingsTests
{
    [Theory]
    [InlineData("semantic_vad")]
    [InlineData("local_vad")]
    public async Task VoiceInstructionsAndTurnMode_FromThePage_ConfigureTheSession(string turnMode)
    {
        var updates = new ConcurrentQueue<string>();
        await using var realtime = await LocalRealtimeServer.StartAsync(new LocalRealtimeServerOptions
        {
            ClientEventObserver = e =>
            {
                if (e.GetProperty("type").GetString() == "session.update")
                {
                    updates.Enqueue(e.GetRawText());
                }
            },
        }, TestContext.Current.CancellationToken);
        using var loggers = TestLogging.Create();
        await using var server = await LocalPlayground.StartAsync(loggers, o => o.ExtensionProperties["base_uri"] = realtime.BaseUri.ToString());
        await using var chromium = await Chromium.LaunchAsync();
        var page = new PlaygroundPage(await chromium.NewPageAsync(server.PageUrl));
        await page.OpenAsync(server.PageUrl);

        await page.StartAsync(voice: "verse", turnMode: turnMode, instructions: "Speak like a friendly pirate.");
        await page.SpeakAsync(TestAudio.Question());

        await page.WaitForAsync("s.transcript.some(t => t.role === 'assistant' && t.final && t.text.includes('I heard'))", $"the answer to a turn ended by {turnMode}");
        var sent = string.Join('\n', updates);
        Assert.Contains("\"verse\"", sent, StringComparison.Ordinal);
        Assert.Contains("Speak like a friendly pirate.", sent, StringComparison.Ordinal);
        if (turnMode == "semantic_vad")
        {
            Assert.Contains("\"semantic_vad\"", sent, StringComparison.Ordinal);
        }
    }
}
