using System.Net;
using System.Net.WebSockets;
using V2V.Playground.Tests.Support;

namespace V2V.Playground.Tests.Hosting;

/// <summary>
/// A drain (what SIGTERM does in <c>v2v serve</c>): at once no new session and <c>/readyz</c> 503 <c>draining</c>;
/// the live pages are told and go on; at the deadline the sessions left end as stopped pages do.
/// </summary>
public sealed class DrainTests
{
    [Fact]
    public async Task Drain_RefusesNewSessions_TellsTheLivePage_AndLetsItFinish()
    {
        using var loggers = TestLogging.Create();
        await using var server = await LocalPlayground.StartAsync(loggers, o => o.DrainTimeout = TimeSpan.FromMinutes(5));
        await using var live = await PageSocket.StartAsync(server);

        var drained = server.DrainAsync(TestContext.Current.CancellationToken);

        var ready = await Probes.GetAsync(server, "/readyz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.Status);
        Assert.Equal("draining", ready.Body.GetProperty("reason").GetString());
        Assert.Equal(HttpStatusCode.OK, (await Probes.GetAsync(server, "/healthz")).Status);

        await using var late = await PageSocket.OpenAsync(server);
        var refusal = await late.WaitForAsync(m => PageSocket.Type(m) == "error");
        Assert.Equal("draining", refusal.GetProperty("code").GetString());
        Assert.Contains("shutting down", refusal.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal((WebSocketCloseStatus)1013, (await late.WaitForCloseAsync()).Status);

        var notice = await live.WaitForAsync(m => PageSocket.Type(m) == "notice");
        Assert.Equal("draining", notice.GetProperty("code").GetString());
        Assert.Contains("300 s", notice.GetProperty("message").GetString(), StringComparison.Ordinal);

        // The live session still works: a typed question is answered in full.
        await live.SendAsync("""{"type":"text","text":"Are you still there?"}""");
        await live.WaitForAsync(m => PageSocket.Type(m) == "transcript" && m.GetProperty("role").GetString() == "assistant" && m.GetProperty("final").GetBoolean());
        Assert.False(drained.IsCompleted);

        await live.SendAsync("""{"type":"stop"}""");
        Assert.Equal(WebSocketCloseStatus.NormalClosure, (await live.WaitForCloseAsync()).Status);
        Assert.True(await drained.WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task DrainDeadline_EndsTheLiveSession_AsAStoppedPage_WithTheReason()
    {
        using var loggers = TestLogging.Create();
        await using var server = await LocalPlayground.StartAsync(loggers, o => o.DrainTimeout = TimeSpan.FromSeconds(1));
        await using var live = await PageSocket.StartAsync(server);

        var endedByItself = await server.DrainAsync(TestContext.Current.CancellationToken);

        Assert.False(endedByItself);
        var (status, reason) = await live.WaitForCloseAsync();
        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, status);
        Assert.Equal("the server is shutting down", reason);
        Assert.Contains(live.Received, m => PageSocket.Type(m) == "notice");
        Assert.DoesNotContain(live.Received, m => PageSocket.Type(m) == "error");
    }
}
