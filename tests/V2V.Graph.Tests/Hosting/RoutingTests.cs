using V2V.Graph.Tests.Support;
using V2V.Ten.Messages;

namespace V2V.Graph.Tests.Hosting;

public sealed class RoutingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AudioFrames_FanOutToEveryDestination_InOrder()
    {
        var journal = new Journal();
        await using var graph = await TestGraph.StartAsync(TestGraph.Probes("""
            [ { "extension": "driver", "audio_frame": [ { "name": "pcm_frame", "dest": [ { "extension": "a" }, { "extension": "b" } ] } ] } ]
            """, "driver", "a", "b"), journal);
        var driver = await graph.Get<Probe>("driver").Env;

        for (var i = 0; i < 20; i++)
        {
            await driver.SendAudioFrameAsync(TestFrames.Pcm(i), Ct);
        }
        await graph.WhenIdleAsync(TimeSpan.Zero, Ct);

        var expected = Enumerable.Range(0, 20).Select(i => (long)i).ToList();
        Assert.Equal(expected, graph.Get<Probe>("a").Received.OfType<AudioFrame>().Select(f => f.Timestamp));
        Assert.Equal(expected, graph.Get<Probe>("b").Received.OfType<AudioFrame>().Select(f => f.Timestamp));
        Assert.All(graph.Get<Probe>("a").Received, m => Assert.Equal("driver", m.Source));
    }

    [Fact]
    public async Task AnEchoExtension_PassesFramesOnToItsOwnRoutes()
    {
        var journal = new Journal();
        await using var graph = await TestGraph.StartAsync("""
            { "nodes": [
                { "type": "extension", "name": "driver", "addon": "probe" },
                { "type": "extension", "name": "echo", "addon": "echo" },
                { "type": "extension", "name": "listener", "addon": "probe" } ],
              "connections": [
                { "extension": "driver", "audio_frame": [ { "name": "pcm_frame", "dest": [ { "extension": "echo" } ] } ] },
                { "extension": "echo", "audio_frame": [ { "name": "pcm_frame", "dest": [ { "extension": "listener" } ] } ] } ] }
            """, journal);
        var driver = await graph.Get<Probe>("driver").Env;

        for (var i = 0; i < 10; i++)
        {
            await driver.SendAudioFrameAsync(TestFrames.Pcm(i), Ct);
        }
        await graph.WhenIdleAsync(TimeSpan.Zero, Ct);

        var received = graph.Get<Probe>("listener").Received.OfType<AudioFrame>().ToList();
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i), received.Select(f => f.Timestamp));
        Assert.All(received, f => Assert.Equal("echo", f.Source));
    }

    [Fact]
    public async Task DataWithoutRoute_IsCountedNotDelivered()
    {
        var journal = new Journal();
        await using var graph = await TestGraph.StartAsync(TestGraph.Probes("[]", "driver"), journal);
        var driver = await graph.Get<Probe>("driver").Env;

        await driver.SendDataAsync(new DataMessage("text_data"), Ct);
        await driver.SendAudioFrameAsync(TestFrames.Pcm(0), Ct);

        Assert.Equal(2, graph.GetStatistics().Single(s => s.Name == "driver").Unrouted);
    }

    [Fact]
    public async Task CmdResult_ComesBackToTheSender_WithItsProperties()
    {
        var journal = new Journal();
        await using var graph = await TestGraph.StartAsync(TestGraph.Probes("""
            [ { "extension": "driver", "cmd": [ { "name": "ping", "dest": [ { "extension": "target" } ] } ] } ]
            """, "driver", "target"), journal);
        var driver = await graph.Get<Probe>("driver").Env;

        var result = await driver.SendCmdAsync(new Cmd("ping"), Ct);

        Assert.Equal(StatusCode.Ok, result.Status);
        Assert.Equal("target", result.GetString("by"));
        Assert.Contains("target cmd ping from driver", journal.Entries);
    }

    [Fact]
    public async Task CmdToSeveralDestinations_ReturnsTheFirstAnswerInGraphOrder_OrElseTheFirstError()
    {
        var journal = new Journal();
        await using var graph = await TestGraph.StartAsync(TestGraph.Probes("""
            [ { "extension": "driver", "cmd": [
                { "name": "ping", "dest": [ { "extension": "a" }, { "extension": "b" } ] },
                { "name": "refuse", "dest": [ { "extension": "a" }, { "extension": "b" } ] } ] } ]
            """, "driver", "a", "b"), journal);
        var driver = await graph.Get<Probe>("driver").Env;

        var ok = await driver.SendCmdAsync(new Cmd("ping"), Ct);
        var refused = await driver.SendCmdAsync(new Cmd("refuse"), Ct);

        Assert.Equal("a", ok.GetString("by"));
        Assert.Equal(StatusCode.Error, refused.Status);
        Assert.Equal("a refuses", refused.Detail);
        Assert.Equal(2, journal.StartingWith("a cmd").Count);
        Assert.Equal(2, journal.StartingWith("b cmd").Count);
    }

    [Fact]
    public async Task CmdWithoutRoute_GetsAnErrorNamingTheCommandAndTheSender()
    {
        var journal = new Journal();
        await using var graph = await TestGraph.StartAsync(TestGraph.Probes("[]", "driver"), journal);
        var driver = await graph.Get<Probe>("driver").Env;

        var result = await driver.SendCmdAsync(new Cmd("tool_call"), Ct);

        Assert.Equal(StatusCode.Error, result.Status);
        Assert.Contains("'tool_call'", result.Detail, StringComparison.Ordinal);
        Assert.Contains("'driver'", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HandlerThatThrows_GivesAnErrorResult_AndTheExtensionGoesOn()
    {
        var journal = new Journal();
        await using var graph = await TestGraph.StartAsync(TestGraph.Probes("""
            [ { "extension": "driver",
                "cmd": [ { "name": "explode", "dest": [ { "extension": "target" } ] }, { "name": "ping", "dest": [ { "extension": "target" } ] } ],
                "data": [ { "name": "text_data", "dest": [ { "extension": "target" } ] } ] } ]
            """, "driver", "target"), journal);
        var driver = await graph.Get<Probe>("driver").Env;

        var failed = await driver.SendCmdAsync(new Cmd("explode"), Ct);
        var boom = new DataMessage("text_data");
        boom.Set("text", "explode");
        await driver.SendDataAsync(boom, Ct);
        var after = new DataMessage("text_data");
        after.Set("text", "after");
        await driver.SendDataAsync(after, Ct);
        var ok = await driver.SendCmdAsync(new Cmd("ping"), Ct);
        await graph.WhenIdleAsync(TimeSpan.Zero, Ct);

        Assert.Equal(StatusCode.Error, failed.Status);
        Assert.Contains("boom in the handler", failed.Detail, StringComparison.Ordinal);
        Assert.Contains("'target'", failed.Detail, StringComparison.Ordinal);
        Assert.Equal(StatusCode.Ok, ok.Status);
        Assert.Contains("target data text_data after", journal.Entries);
        Assert.Equal(2, graph.GetStatistics().Single(s => s.Name == "target").HandlerErrors);
    }
}
