using V2V.Graph.Tests.Support;
using V2V.Ten.Messages;

namespace V2V.Graph.Tests.Hosting;

public sealed class ActorTests
{
    private const string DriverToTarget = """
        [ { "extension": "driver",
            "cmd": [ { "name": "ping", "dest": [ { "extension": "target" } ] } ],
            "data": [ { "name": "text_data", "dest": [ { "extension": "target" } ] } ],
            "audio_frame": [ { "name": "pcm_frame", "dest": [ { "extension": "target" } ] } ] } ]
        """;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task BusyExtension_HandlesACommandBeforeTheFramesQueuedAheadOfIt()
    {
        var journal = new Journal();
        await using var graph = await TestGraph.StartAsync(TestGraph.Probes(DriverToTarget, "driver", "target"), journal);
        var target = graph.Get<Probe>("target");
        target.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var driver = await graph.Get<Probe>("driver").Env;

        await driver.SendAudioFrameAsync(TestFrames.Pcm(0), Ct);
        await target.FirstFrameEntered.Task.WaitAsync(Ct);
        for (var i = 1; i <= 4; i++)
        {
            await driver.SendAudioFrameAsync(TestFrames.Pcm(i), Ct);
        }
        var cmd = driver.SendCmdAsync(new Cmd("ping"), Ct);
        target.Gate.SetResult();
        await cmd;
        await graph.WhenIdleAsync(TimeSpan.Zero, Ct);

        Assert.Equal(
            ["target frame 0", "target cmd ping from driver", "target frame 1", "target frame 2", "target frame 3", "target frame 4"],
            journal.Entries.Where(e => e.StartsWith("target ", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task FullMessageQueue_MakesTheSenderWait_AndLosesNothing()
    {
        var journal = new Journal();
        await using var graph = await TestGraph.StartAsync(TestGraph.Probes(DriverToTarget, "driver", "target"), journal, capacity: 2);
        var target = graph.Get<Probe>("target");
        target.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var driver = await graph.Get<Probe>("driver").Env;

        await driver.SendAudioFrameAsync(TestFrames.Pcm(0), Ct);
        await target.FirstFrameEntered.Task.WaitAsync(Ct);
        await driver.SendAudioFrameAsync(TestFrames.Pcm(1), Ct);
        await driver.SendAudioFrameAsync(TestFrames.Pcm(2), Ct);
        var third = driver.SendAudioFrameAsync(TestFrames.Pcm(3), Ct);
        var waited = !third.IsCompleted;
        target.Gate.SetResult();
        await third;
        await graph.WhenIdleAsync(TimeSpan.Zero, Ct);

        Assert.True(waited, "the fourth frame should wait for room in a queue of two");
        Assert.Equal([0L, 1, 2, 3], target.Received.OfType<AudioFrame>().Select(f => f.Timestamp));
        var stats = graph.GetStatistics().Single(s => s.Name == "target");
        Assert.Equal(1, stats.BackPressureWaits);
        Assert.Equal(0, stats.Dropped);
    }

    [Fact]
    public async Task HandlersOfOneExtension_NeverRunConcurrently()
    {
        var journal = new Journal();
        await using var graph = await TestGraph.StartAsync(TestGraph.Probes(DriverToTarget, "driver", "target"), journal, capacity: 4);
        var driver = await graph.Get<Probe>("driver").Env;

        var senders = Enumerable.Range(0, 4).Select(t => Task.Run(async () =>
        {
            for (var i = 0; i < 50; i++)
            {
                await driver.SendAudioFrameAsync(TestFrames.Pcm(i), Ct);
                await driver.SendDataAsync(new DataMessage("text_data"), Ct);
                if (i % 10 == 0)
                {
                    await driver.SendCmdAsync(new Cmd("ping"), Ct);
                }
            }
        }, Ct));
        await Task.WhenAll(senders);
        await graph.WhenIdleAsync(TimeSpan.Zero, Ct);

        var target = graph.Get<Probe>("target");
        Assert.Equal(4 * (50 + 50 + 5), target.Received.Count);
        Assert.Equal(1, target.MaxConcurrency);
    }
}
