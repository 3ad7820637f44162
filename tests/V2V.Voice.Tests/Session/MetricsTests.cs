using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using V2V.Testing;
using V2V.Voice.Diagnostics;
using V2V.Voice.Tests.Support;

namespace V2V.Voice.Tests.Session;

/// <summary>
/// The session's metrics reach a listener (as OpenTelemetry would subscribe to them). Each test gives its session a
/// meter factory of its own and listens to that one only: the measurements are that session's, whatever runs beside.
/// </summary>
public sealed class MetricsTests
{
    /// <summary>A guard only: what works is measured far sooner.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ATurn_RecordsConnectTime_TimeToFirstAudio_AndTurnLength()
    {
        using var meters = new OwnMeters();
        using var connectTime = Collect<double>(meters, "v2v.connection.duration");
        using var timeToFirstAudio = Collect<double>(meters, "v2v.time_to_first_audio");
        using var turnLength = Collect<double>(meters, "v2v.turn.audio.duration");

        await using (var harness = await SessionHarness.StartAsync(o => o.MeterFactory = meters.Factory))
        {
            await harness.SendAsync(Speech.Pcm16("How long did that take?", 16000, 1), 16000, 1);
            await harness.WaitForAsync(SessionHarness.HasFinalAssistantTranscript, "the answer");
            await WaitForAsync(turnLength, 1, "the turn to be measured");
        }

        // One session, one connection, one answer: nothing of another test's sessions.
        Assert.Single(connectTime.GetMeasurementSnapshot());
        Assert.Contains(connectTime.GetMeasurementSnapshot(), m => m.Value > 0);
        // Seconds (OpenTelemetry's unit of durations), not milliseconds or ticks: an answer of the local server comes within
        // seconds even on a busy machine, and the echo of a spoken sentence lasts longer than half a second.
        Assert.Contains(timeToFirstAudio.GetMeasurementSnapshot(), m => m.Value > 0 && m.Value < 30);
        Assert.Contains(turnLength.GetMeasurementSnapshot(), m => m.Value > 0.5 && m.Value < 60);
    }

    [Fact]
    public async Task ReaderThatNeverReads_CausesCountedDrops_NotUnboundedMemory()
    {
        using var meters = new OwnMeters();
        using var dropped = Collect<long>(meters, "v2v.frames_dropped");
        await using var server = await V2V.Simulator.LocalRealtimeServer.StartAsync(new V2V.Simulator.LocalRealtimeServerOptions { SpeedFactor = 20 }, Ct);
        await using var session = await VoiceSession.StartAsync(new VoiceSessionOptions
        {
            Connection = new V2V.Realtime.Client.RealtimeClientOptions { BaseUri = server.BaseUri },
            PaceOutput = true,
            OutputCapacity = 16,
            OutputFrameDuration = TimeSpan.FromMilliseconds(5),
            MeterFactory = meters.Factory,
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

    [Fact]
    public void ASessionWithoutAFactory_MeasuresOnTheProcessMeter_NamedAsBefore()
    {
        var processWide = VoiceMetrics.For(new VoiceSessionOptions());

        Assert.Same(processWide, VoiceMetrics.For(new VoiceSessionOptions()));
        Assert.Equal(VoiceMetrics.MeterName, processWide.TimeToFirstAudio.Meter.Name);
        Assert.Equal("v2v.time_to_first_audio", processWide.TimeToFirstAudio.Name);
        using var own = new OwnMeters();
        Assert.NotSame(processWide.TimeToFirstAudio.Meter, own.Metrics.TimeToFirstAudio.Meter);
    }

    // The session's instrument on the test's own meter factory: what other tests' sessions measure never reaches it.
    private static MetricCollector<T> Collect<T>(OwnMeters meters, string instrument)
        where T : struct => new(meters.Factory, VoiceMetrics.MeterName, instrument);

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
