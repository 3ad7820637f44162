using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using V2V.Testing;
using V2V.Voice.Diagnostics;
using V2V.Voice.Tests.Support;

namespace V2V.Voice.Tests.Session;

/// <summary>The session's metrics reach a listener (as OpenTelemetry would subscribe to them).</summary>
[Collection(nameof(ProcessWideMeter))]
public sealed class MetricsTests
{
    /// <summary>A guard only: what works is measured far sooner.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ATurn_RecordsConnectTime_TimeToFirstAudio_AndTurnLength()
    {
        using var connectTime = new MetricCollector<double>(VoiceMetrics.ConnectTime);
        using var timeToFirstAudio = new MetricCollector<double>(VoiceMetrics.TimeToFirstAudio);
        using var turnLength = new MetricCollector<double>(VoiceMetrics.TurnLength);

        await using (var harness = await SessionHarness.StartAsync())
        {
            await harness.SendAsync(Speech.Pcm16("How long did that take?", 16000, 1), 16000, 1);
            await harness.WaitForAsync(SessionHarness.HasFinalAssistantTranscript, "the answer");
            await WaitForAsync(turnLength, 1, "the turn to be measured");
        }

        Assert.Contains(connectTime.GetMeasurementSnapshot(), m => m.Value > 0);
        // Milliseconds, not seconds or ticks: an answer of the local server comes within seconds even on a busy machine.
        Assert.Contains(timeToFirstAudio.GetMeasurementSnapshot(), m => m.Value > 0 && m.Value < 30_000);
        Assert.Contains(turnLength.GetMeasurementSnapshot(), m => m.Value > 500);
    }

    [Fact]
    public async Task ReaderThatNeverReads_CausesCountedDrops_NotUnboundedMemory()
    {
        using var dropped = new MetricCollector<long>(VoiceMetrics.FramesDropped);
        await using var server = await V2V.Simulator.LocalRealtimeServer.StartAsync(new V2V.Simulator.LocalRealtimeServerOptions { SpeedFactor = 20 }, Ct);
        await using var session = await VoiceSession.StartAsync(new VoiceSessionOptions
        {
            Connection = new V2V.Realtime.Client.RealtimeClientOptions { BaseUri = server.BaseUri },
            PaceOutput = true,
            OutputCapacity = 16,
            OutputFrameDuration = TimeSpan.FromMilliseconds(5),
        }, cancellationToken: Ct);

        // Nobody reads the outputs: two seconds of answer must not pile up anywhere.
        foreach (var frame in Speech.Frames(Speech.Pcm16("Nobody is listening to me at all.", 16000, 1), 16000, 1, 20))
        {
            await session.SendAudioAsync(frame, 16000, 1, Ct);
        }
        long SlowReaderDrops() => dropped.GetMeasurementSnapshot().Where(m => m.MatchesTags(new KeyValuePair<string, object?>("reason", "slow_reader"))).Sum(m => m.Value);
        while (SlowReaderDrops() < 50)
        {
            await WaitForAsync(dropped, dropped.GetMeasurementSnapshot().Count + 1, $"50 frames dropped for the slow reader ({SlowReaderDrops()} so far)");
        }

        Assert.True(SlowReaderDrops() >= 50);
    }

    // Waits on the measurements themselves, with a generous guard that fails with what was measured.
    private static async Task WaitForAsync<T>(MetricCollector<T> collector, int count, string what)
        where T : struct
    {
        using var guard = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        guard.CancelAfter(Patience);
        try
        {
            await collector.WaitForMeasurementsAsync(count, guard.Token);
        }
        catch (OperationCanceledException) when (!Ct.IsCancellationRequested)
        {
            Assert.Fail($"Waited {Patience.TotalSeconds:F0} s for {what}; {collector.Instrument?.Name} measured: {string.Join(", ", collector.GetMeasurementSnapshot().Select(m => m.Value))}");
        }
    }
}
