using V2V.Playground.Sessions;
using V2V.Playground.Tests.Support;

namespace V2V.Playground.Tests.Sessions;

/// <summary>
/// The page chooses the turn mode; the server's idle prompt (<c>idle_timeout_ms</c>) holds in each: the service keeps it for
/// server VAD, the session for the page's other modes, whose sessions start with it.
/// </summary>
public sealed class PageTurnModeTests
{
    [Theory]
    [InlineData("semantic_vad")]
    [InlineData("local_vad")]
    public async Task AServerIdleTimeout_StartsAPageThatChoseAnotherTurnMode(string turnMode)
    {
        using var loggers = TestLogging.Create();
        await using var server = await LocalPlayground.StartAsync(loggers, o => o.ExtensionProperties["idle_timeout_ms"] = 8000);
        await using var page = await PageSocket.OpenAsync(server);

        await page.SendAsync($$"""{"type":"start","sampleRate":16000,"voice":"alloy","turnMode":"{{turnMode}}"}""");

        await page.WaitForAsync(m => PageSocket.Type(m) == "ready");
    }

    [Theory]
    [InlineData("server_vad")]
    [InlineData("semantic_vad")]
    [InlineData("local_vad")]
    public void TheAgentsProperties_KeepTheIdleTimeout_InEveryTurnMode(string turnMode)
    {
        var server = new System.Text.Json.Nodes.JsonObject { ["idle_timeout_ms"] = 8000 };

        var graph = SessionGraph.Build(new SessionSettings(16000, "alloy", "", turnMode), server);

        var agent = graph.Nodes.Single(n => n.Name == SessionGraph.Agent).Property;
        Assert.Equal(turnMode, agent["turn_detection"]!.GetValue<string>());
        Assert.Equal(8000, agent["idle_timeout_ms"]!.GetValue<int>());
        Assert.True(server.ContainsKey("idle_timeout_ms")); // the server's own are not changed
    }
}
