using System.Net;
using System.Net.WebSockets;
using V2V.Playground.Tests.Support;
using V2V.Simulator;

namespace V2V.Playground.Tests.Hosting;

/// <summary>
/// <c>/healthz</c> and <c>/readyz</c> as a balancer's or Kubernetes' probes use them: without a token, by the node's
/// address; ready only while a new session would be taken (not full, the realtime service reachable), each "no" with
/// its reason and nothing secret.
/// </summary>
public sealed class HealthTests
{
    private const string Token = "a-token-of-sixteen-chars";

    [Fact]
    public async Task Probes_NeedNoToken_WhileThePageStillDoes()
    {
        using var loggers = TestLogging.Create();
        await using var server = await LocalPlayground.StartAsync(loggers, o => o.AccessToken = Token);

        var alive = await Probes.GetAsync(server, "/healthz");
        var ready = await Probes.GetAsync(server, "/readyz");
        var page = await Probes.GetAsync(server, "/api/info");

        Assert.Equal(HttpStatusCode.OK, alive.Status);
        Assert.Equal("alive", alive.Body.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, ready.Status);
        Assert.Equal("ready", ready.Body.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, page.Status);
    }

    [Fact]
    public async Task Probes_AddressedToTheNodesIp_AreAnswered_ThoughThePageAnswersLocalhostOnly()
    {
        using var loggers = TestLogging.Create();
        await using var server = await LocalPlayground.StartAsync(loggers);

        var ready = await Probes.GetAsync(server, "/readyz", host: "10.1.2.3:8080");
        var page = await Probes.GetAsync(server, "/api/info", host: "10.1.2.3:8080");

        Assert.Equal(HttpStatusCode.OK, ready.Status);
        Assert.Equal(HttpStatusCode.MisdirectedRequest, page.Status);
    }

    [Fact]
    public async Task Readyz_IsFull_WhileEverySessionIsTaken_AndANewSessionIsToldSo()
    {
        using var loggers = TestLogging.Create();
        await using var server = await LocalPlayground.StartAsync(loggers, o => o.MaxSessions = 1);

        await using (var first = await PageSocket.StartAsync(server))
        {
            var full = await Probes.GetAsync(server, "/readyz");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, full.Status);
            Assert.Equal("not_ready", full.Body.GetProperty("status").GetString());
            Assert.Equal("full", full.Body.GetProperty("reason").GetString());
            Assert.Equal(1, full.Body.GetProperty("sessions").GetInt32());

            await using var second = await PageSocket.OpenAsync(server);
            var refusal = await second.WaitForAsync(m => PageSocket.Type(m) == "error");
            Assert.Equal("full", refusal.GetProperty("code").GetString());
            Assert.True(refusal.GetProperty("fatal").GetBoolean());
            Assert.Contains("1 sessions, its limit", refusal.GetProperty("message").GetString(), StringComparison.Ordinal);
            Assert.Equal((WebSocketCloseStatus)1013, (await second.WaitForCloseAsync()).Status);

            await first.SendAsync("""{"type":"stop"}""");
            Assert.Equal(WebSocketCloseStatus.NormalClosure, (await first.WaitForCloseAsync()).Status);
        }

        // The session's end is counted when its handler returns, just after the close: wait for it, bounded.
        var again = await WaitForReadyAsync(server);
        Assert.Equal(HttpStatusCode.OK, again.Status);
    }

    [Fact]
    public async Task Readyz_SaysTheBackendIsUnreachable_WithoutTheKey()
    {
        var key = "sk-proj-" + Guid.NewGuid().ToString("N");
        var realtime = await LocalRealtimeServer.StartAsync(new LocalRealtimeServerOptions { SpeedFactor = 0 }, TestContext.Current.CancellationToken);
        var gone = realtime.BaseUri;
        await realtime.DisposeAsync();
        using var loggers = TestLogging.Create();
        await using var server = await LocalPlayground.StartAsync(loggers, o =>
        {
            o.ExtensionProperties["base_uri"] = gone.ToString();
            o.ExtensionProperties["api_key"] = key;
        });

        var ready = await Probes.GetAsync(server, "/readyz");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.Status);
        Assert.Equal("backend_unreachable", ready.Body.GetProperty("reason").GetString());
        Assert.Equal($"127.0.0.1:{gone.Port}", ready.Body.GetProperty("backend").GetString());
        Assert.DoesNotContain(key[^8..], ready.Text, StringComparison.Ordinal);
    }

    private static async Task<(HttpStatusCode Status, System.Text.Json.JsonElement Body, string Text)> WaitForReadyAsync(PlaygroundServer server)
    {
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var ready = await Probes.GetAsync(server, "/readyz");
            if (ready.Status == HttpStatusCode.OK || guard.IsCancellationRequested)
            {
                return ready;
            }
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }
}
