using System.Diagnostics;
using System.Net;
using OpenTelemetry;
using OpenTelemetry.Trace;
using V2V.Playground.Telemetry;
using V2V.Playground.Tests.Support;

namespace V2V.Playground.Tests.Hosting;

/// <summary>
/// OpenTelemetry from a real session: <c>/metrics</c> (when asked for) serves the voice session's instruments, and
/// the session and its turn are spans with their attributes. The spans are read by this test's own in-memory
/// exporter and picked by this session's id, so other sessions of the process cannot feed the assertions.
/// </summary>
public sealed class TelemetryTests
{
    [Fact]
    public async Task Metrics_AfterASession_ServeTheVoiceInstruments_ToAScraperAddressingTheNodesIp()
    {
        using var loggers = TestLogging.Create();
        await using var server = await LocalPlayground.StartAsync(loggers, o => o.Telemetry.Prometheus = true);

        await using (var page = await PageSocket.StartAsync(server))
        {
            await AskAndStopAsync(page);
        }
        var metrics = await Probes.GetAsync(server, "/metrics", host: "10.1.2.3:8080");

        Assert.Equal(HttpStatusCode.OK, metrics.Status);
        Assert.Contains("otel_scope_name=\"V2V.Voice\"", metrics.Text, StringComparison.Ordinal);
        Assert.Contains("v2v_connection_duration_seconds_count", metrics.Text, StringComparison.Ordinal);
        Assert.Contains("gen_ai_client_token_usage_bucket", metrics.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASession_IsOneSpan_WithItsTurnUnderIt()
    {
        var spans = new List<Activity>();
        using var tracing = Sdk.CreateTracerProviderBuilder().AddSource(SessionTracing.SourceName).AddInMemoryExporter(spans).Build();
        using var loggers = TestLogging.Create();
        await using var server = await LocalPlayground.StartAsync(loggers);

        string sessionId;
        await using (var page = await PageSocket.StartAsync(server))
        {
            sessionId = page.Received.First(m => PageSocket.Type(m) == "ready").GetProperty("session").GetString()!;
            await AskAndStopAsync(page);
        }
        // The session's span ends when its handler returns, just after the close: wait for it, bounded.
        var mine = await WaitForAsync(spans, s => s.DisplayName == "v2v.session" && (string?)s.GetTagItem("v2v.session.id") == sessionId);

        var session = Assert.Single(mine, s => s.DisplayName == "v2v.session");
        Assert.Equal("v2v.local", session.GetTagItem("gen_ai.provider.name"));
        Assert.Equal("gpt-realtime", session.GetTagItem("gen_ai.request.model"));
        Assert.Equal("alloy", session.GetTagItem("v2v.voice"));
        Assert.Equal("the page stopped the session", session.GetTagItem("v2v.session.end_reason"));
        Assert.Equal(1, session.GetTagItem("v2v.session.turns"));
        var turn = Assert.Single(mine, s => s.DisplayName == "v2v.turn");
        Assert.Equal(session.SpanId, turn.ParentSpanId);
        Assert.Equal("text", turn.GetTagItem("v2v.turn.trigger"));
        Assert.Equal(false, turn.GetTagItem("v2v.turn.interrupted"));
        Assert.DoesNotContain(mine.SelectMany(s => s.TagObjects), t => t.Value is string v && v.Contains("Are you there", StringComparison.Ordinal));
    }

    private static async Task AskAndStopAsync(PageSocket page)
    {
        await page.SendAsync("""{"type":"text","text":"Are you there?"}""");
        await page.WaitForAsync(m => PageSocket.Type(m) == "transcript" && m.GetProperty("role").GetString() == "assistant" && m.GetProperty("endOfSegment").GetBoolean());
        await page.SendAsync("""{"type":"stop"}""");
        await page.WaitForCloseAsync();
    }

    private static async Task<List<Activity>> WaitForAsync(List<Activity> spans, Func<Activity, bool> sessionSpan)
    {
        using var guard = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        guard.CancelAfter(TimeSpan.FromSeconds(30));
        while (true)
        {
            Activity[] now;
            lock (spans)
            {
                now = [.. spans];
            }
            if (now.FirstOrDefault(sessionSpan) is { } session)
            {
                return [.. now.Where(s => s.TraceId == session.TraceId)];
            }
            await Task.Delay(50, guard.Token);
        }
    }
}
