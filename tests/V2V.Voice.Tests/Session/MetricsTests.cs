using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using V2V.Testing;
using V2V.Voice.Diagnostics;
using V2V.Voice.Tests.Support;

namespace V2V.Voice.Tests.Session;

/// <summary>The session's metrics reach a listener (as OpenTelemetry would subscribe to them).</summary>
public sealed class MetricsTests
{
    [Fact]
    public async Task ATurn_RecordsConnectTime_TimeToFirstAudio_AndTurnLength()
    {
        var measurements = new ConcurrentQueue<(string Name, double Value)>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == VoiceMetrics.MeterName)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<double>((i, v, _, _) => measurements.Enqueue((i.Name, v)));
        listener.SetMeasurementEventCallback<long>((i, v, _, _) => measurements.Enqueue((i.Name, v)));
        listener.Start();

        await using (var harness = await SessionHarness.StartAsync())
        {
            await harness.SendAsync(Speech.Pcm16("How long did that take?", 16000, 1), 16000, 1);
            await harness.WaitForAsync(SessionHarness.HasFinalAssistantTranscript, "the answer");
            await harness.WaitForAsync(_ => measurements.Any(m => m.Name == "v2v.turn_length"), "the turn to be measured");
        }

        Assert.Contains(measurements, m => m.Name == "v2v.connect_time" && m.Value > 0);
        Assert.Contains(measurements, m => m.Name == "v2v.time_to_first_audio" && m.Value > 0 && m.Value < 30_000);
        Assert.Contains(measurements, m => m.Name == "v2v.turn_length" && m.Value > 500);
    }
}
