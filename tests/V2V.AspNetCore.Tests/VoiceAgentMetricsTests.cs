using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using V2V.AspNetCore.Tests.Support;

namespace V2V.AspNetCore.Tests;

/// <summary>The endpoint's meter (<c>V2V.AspNetCore</c>) on the app's own meter factory: sessions running, sockets refused by reason.</summary>
public sealed class VoiceAgentMetricsTests
{
    [Fact]
    public async Task SessionsRunning_AndSocketsRefused_AreMeasuredOnTheAppsMeters()
    {
        await using var app = await VoiceAgentApp.StartAsync(endpoint: o => o.MaxSessions = 1);
        var meters = app.App.Services.GetRequiredService<IMeterFactory>();
        using var active = new MetricCollector<long>(meters, "V2V.AspNetCore", "v2v.voice_agent.sessions.active");
        using var refused = new MetricCollector<long>(meters, "V2V.AspNetCore", "v2v.voice_agent.sockets.refused");

        await using var first = await PageClient.ConnectAsync(app.VoiceUri);
        await first.StartAsync(16000);
        await first.NextAsync("ready");
        await using var second = await PageClient.ConnectAsync(app.VoiceUri);
        await second.StartAsync(16000);
        await second.NextAsync("error");
        await using var third = await PageClient.ConnectAsync(app.VoiceUri);
        await third.SendTextAsync("{\"type\":\"start\",\"sampleRate\":2}");
        await third.NextAsync("error");
        Assert.Equal(1, active.GetMeasurementSnapshot().EvaluateAsCounter());

        await first.SendTextAsync("{\"type\":\"stop\"}");
        await first.ClosedAsync();
        await active.WaitForMeasurementsAsync(2, TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromMinutes(1), TestContext.Current.CancellationToken);

        Assert.Equal(0, active.GetMeasurementSnapshot().EvaluateAsCounter());
        var reasons = refused.GetMeasurementSnapshot().Select(m => (string?)m.Tags["reason"]).Order().ToList();
        Assert.Equal(["bad_start", "full"], reasons);
        Assert.All(active.GetMeasurementSnapshot(), m => Assert.Equal("/voice", m.Tags["v2v.endpoint"]));
    }
}
