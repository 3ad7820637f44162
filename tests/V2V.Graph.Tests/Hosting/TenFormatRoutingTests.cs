using V2V.Graph.Definition;
using V2V.Graph.Hosting;
using V2V.Graph.Tests.Support;
using V2V.Ten.Messages;

namespace V2V.Graph.Tests.Hosting;

/// <summary>TEN 0.10+ graph features at run time: source flows, msg_conversion, fan-out results, video frames, apps of several graphs.</summary>
public sealed class TenFormatRoutingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SourceFlow_DeliversFromTheSourceToTheConnectionsExtension()
    {
        var journal = new Journal();
        await using var graph = await TestGraph.StartAsync(TestGraph.Probes("""
            [ { "extension": "sink", "data": [ { "name": "text_data", "source": [ { "extension": "driver" } ] } ] } ]
            """, "driver", "sink"), journal);
        var driver = await graph.Get<Probe>("driver").Env;

        var data = new DataMessage("text_data");
        data.Set("text", "hello");
        await driver.SendDataAsync(data, Ct);
        await graph.WhenIdleAsync(TimeSpan.Zero, Ct);

        Assert.Contains("sink data text_data hello", journal.Entries);
    }

    [Fact]
    public async Task MsgConversion_GivesTheConvertedDestinationItsOwnMessage_AndTheOthersTheOriginal()
    {
        var journal = new Journal();
        await using var graph = await TestGraph.StartAsync(TestGraph.Probes("""
            [ { "extension": "driver", "data": [ { "name": "text_data", "dest": [
                { "extension": "renamed", "msg_conversion": { "type": "per_property", "rules": [
                    { "path": "ten.name", "conversion_mode": "fixed_value", "value": "content_data" },
                    { "path": "payload.text", "conversion_mode": "from_original", "original_path": "text" },
                    { "path": "kind", "conversion_mode": "fixed_value", "value": "converted" } ] } },
                { "extension": "kept", "msg_conversion": { "type": "per_property", "keep_original": true, "rules": [
                    { "path": "kind", "conversion_mode": "fixed_value", "value": "kept" } ] } },
                { "extension": "plain" } ] } ] } ]
            """, "driver", "renamed", "kept", "plain"), journal);
        var driver = await graph.Get<Probe>("driver").Env;

        var data = new DataMessage("text_data");
        data.Set("text", "hi");
        data.Set("stream_id", 7);
        await driver.SendDataAsync(data, Ct);
        await graph.WhenIdleAsync(TimeSpan.Zero, Ct);

        var renamed = Assert.Single(graph.Get<Probe>("renamed").Received);
        Assert.Equal("content_data", renamed.Name);
        Assert.Equal("""{"payload":{"text":"hi"},"kind":"converted"}""", renamed.Properties.ToJsonString());
        var kept = Assert.Single(graph.Get<Probe>("kept").Received);
        Assert.Equal("""{"text":"hi","stream_id":7,"kind":"kept"}""", kept.Properties.ToJsonString());
        var plain = Assert.Single(graph.Get<Probe>("plain").Received);
        Assert.Same(data, plain);
        Assert.Equal("""{"text":"hi","stream_id":7}""", plain.Properties.ToJsonString());
    }

    [Fact]
    public async Task CmdConversion_RenamesTheCommand_AndConvertsItsResultBack()
    {
        var journal = new Journal();
        await using var graph = await TestGraph.StartAsync(TestGraph.Probes("""
            [ { "extension": "driver", "cmd": [ { "name": "ask", "dest": [
                { "extension": "target", "msg_conversion": { "type": "per_property", "rules": [
                    { "path": "ten.name", "conversion_mode": "fixed_value", "value": "question" } ],
                  "result": { "type": "per_property", "rules": [ { "path": "answered_by", "conversion_mode": "from_original", "original_path": "by" } ] } } } ] } ] } ]
            """, "driver", "target"), journal);
        var driver = await graph.Get<Probe>("driver").Env;

        var result = await driver.SendCmdAsync(new Cmd("ask"), Ct);

        Assert.Contains("target cmd question from driver", journal.Entries);
        Assert.Equal(StatusCode.Ok, result.Status);
        Assert.Equal("""{"answered_by":"target"}""", result.Properties.ToJsonString());
        Assert.Equal("target", result.Source);
    }

    [Fact]
    public async Task ToolCallToSeveralTools_EachResultReachesTheSender_AndTheOwnersAnswerIsTheResult()
    {
        var journal = new Journal();
        await using var graph = await TestGraph.StartAsync("""
            { "nodes": [ { "name": "v2v", "addon": "probe" }, { "name": "weather", "addon": "weather_tool" }, { "name": "search", "addon": "search_tool" } ],
              "connections": [ { "extension": "v2v", "cmd": [ { "name": "tool_call", "dest": [ { "extension": "weather" }, { "extension": "search" } ] },
                                                              { "name": "fail_call", "dest": [ { "extension": "weather" }, { "extension": "search" } ] } ] } ] }
            """, journal, 100, OwnedTool.Addon("weather_tool", "get_weather"), OwnedTool.Addon("search_tool", "web_search"));
        var v2v = await graph.Get<Probe>("v2v").Env;

        var call = new Cmd("tool_call");
        call.Set("name", "web_search");
        var one = await v2v.SendCmdAsync(call, Ct);
        var each = new List<CmdResult>();
        await foreach (var result in v2v.SendCmdExAsync(call, Ct))
        {
            each.Add(result);
        }
        var failed = await v2v.SendCmdAsync(new Cmd("fail_call"), Ct);

        Assert.Equal(StatusCode.Ok, one.Status);
        Assert.Equal("search", one.Source);
        Assert.Equal("web_search says hi", one.Properties["tool_result"]!["content"]!.GetValue<string>());
        Assert.Equal(["search", "weather"], each.Select(r => r.Source!).Order(StringComparer.Ordinal));
        Assert.All(each, r => Assert.Equal(StatusCode.Ok, r.Status));
        Assert.Empty(each.Single(r => r.Source == "weather").Properties);
        Assert.Equal(StatusCode.Error, failed.Status);
        Assert.Equal("get_weather failed", failed.Detail);
    }

    [Fact]
    public async Task VideoFrames_ReachExtensionsWithAVideoHandler_AndNotTheOthers()
    {
        var journal = new Journal();
        await using var graph = await TestGraph.StartAsync("""
            { "nodes": [ { "name": "camera", "addon": "probe" }, { "name": "viewer", "addon": "viewer" }, { "name": "blind", "addon": "probe" } ],
              "connections": [ { "extension": "camera", "video_frame": [ { "name": "video_frame", "dest": [ { "extension": "viewer" }, { "extension": "blind" } ] } ] } ] }
            """, journal, 100, OwnedTool.Addon("viewer", "none"));
        var camera = await graph.Get<Probe>("camera").Env;

        for (var i = 0; i < 3; i++)
        {
            await camera.SendVideoFrameAsync(new VideoFrame("video_frame", new byte[16], 2, 2, "RGBA"), Ct);
        }
        await graph.WhenIdleAsync(TimeSpan.Zero, Ct);

        Assert.Equal(3, graph.Get<OwnedTool>("viewer").VideoFrames);
        Assert.Empty(graph.Get<Probe>("blind").Received);
        Assert.Equal(0, graph.GetStatistics().Single(s => s.Name == "camera").Unrouted);
    }

    [Fact]
    public async Task StartApp_StartsEveryAutoStartGraph_EachWithItsOwnExtensions_OrTheNamedOne()
    {
        var graphs = GraphJson.ParseAll("""
            { "ten": { "predefined_graphs": [
                { "name": "one", "auto_start": true, "graph": { "nodes": [ { "name": "p", "addon": "probe" } ] } },
                { "name": "two", "auto_start": true, "graph": { "nodes": [ { "name": "p", "addon": "probe" } ] } },
                { "name": "manual", "graph": { "nodes": [ { "name": "p", "addon": "probe" } ] } } ] } }
            """);
        var journal = new Journal();
        var host = new GraphHost(TestGraph.Registry(journal));

        await using (var app = await host.StartAppAsync(graphs, cancellationToken: Ct))
        {
            Assert.Equal(["one", "two"], app.Graphs.Select(g => g.Plan.Name));
            Assert.NotSame(app["one"].GetExtension("p"), app["two"].GetExtension("p"));
            await app.StopAsync(Ct);
        }
        await using (var named = await host.StartAppAsync(graphs, "manual", Ct))
        {
            Assert.Equal("manual", Assert.Single(named.Graphs).Plan.Name);
        }

        Assert.Equal(3, journal.StartingWith("start p").Count);
    }
}
