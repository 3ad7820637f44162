using System.Text.Json.Nodes;
using V2V.Graph.BuiltIns;
using V2V.Graph.Tests.Support;
using V2V.Ten.Messages;

namespace V2V.Graph.Tests.BuiltIns;

public sealed class TranscriptCollectorTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Collector_WritesEachTextDataAndFlushAsAJsonLine()
    {
        using var dir = new TempDirectory();
        var graph = await TestGraph.StartAsync($$"""
            { "nodes": [ { "name": "v2v", "addon": "probe" }, { "name": "transcript", "addon": "transcript_collector", "property": { "path": "{{dir.File("t/transcript.jsonl")}}" } } ],
              "connections": [ { "extension": "v2v",
                "cmd": [ { "name": "flush", "dest": [ { "extension": "transcript" } ] } ],
                "data": [ { "name": "text_data", "dest": [ { "extension": "transcript" } ] } ] } ] }
            """, new Journal());
        var v2v = await graph.Get<Probe>("v2v").Env;

        await v2v.SendDataAsync(Text(("text", "what time is it?"), ("is_final", true), ("end_of_segment", true), ("stream_id", 1234L)), Ct);
        await v2v.SendDataAsync(Text(("text", "It is"), ("is_final", false), ("end_of_segment", false), ("stream_id", 0L)), Ct);
        // Commands overtake queued data by design (barge-in): let the text arrive first so the order is the one sent.
        await graph.WhenIdleAsync(TimeSpan.Zero, Ct);
        var flushed = await v2v.SendCmdAsync(new Cmd("flush"), Ct);
        await v2v.SendDataAsync(Text(("text", "It is two"), ("role", "assistant"), ("is_final", true), ("end_of_segment", true), ("stream_id", 0L), ("interrupted", true)), Ct);
        await graph.WhenIdleAsync(TimeSpan.Zero, Ct);
        await graph.StopAsync(Ct);

        var lines = File.ReadAllLines(dir.File("t/transcript.jsonl")).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        Assert.Equal(StatusCode.Ok, flushed.Status);
        Assert.Equal(4, lines.Count);
        Assert.Equal(4, graph.Get<TranscriptCollector>("transcript").Lines);
        Assert.Equal(
            ["time_ms", "role", "text", "is_final", "end_of_segment", "stream_id"],
            lines[0].Select(p => p.Key));
        Assert.Equal(("user", "what time is it?", true, 1234L), (S(lines[0], "role"), S(lines[0], "text"), lines[0]["is_final"]!.GetValue<bool>(), lines[0]["stream_id"]!.GetValue<long>()));
        Assert.Equal(("assistant", "It is", false), (S(lines[1], "role"), S(lines[1], "text"), lines[1]["is_final"]!.GetValue<bool>()));
        Assert.False(lines[1].ContainsKey("interrupted"));
        Assert.Equal(("flush", "v2v"), (S(lines[2], "event"), S(lines[2], "source")));
        Assert.True(lines[3]["interrupted"]!.GetValue<bool>());
        Assert.All(lines, l => Assert.True(l["time_ms"]!.GetValue<long>() >= 0));
    }

    [Fact]
    public async Task Collector_WritesSessionEventsAsEventLines_AndAUserLineKeepsItsItemId()
    {
        using var dir = new TempDirectory();
        var graph = await TestGraph.StartAsync($$"""
            { "nodes": [ { "name": "v2v", "addon": "probe" }, { "name": "transcript", "addon": "transcript_collector", "property": { "path": "{{dir.File("transcript.jsonl")}}" } } ],
              "connections": [ { "extension": "v2v",
                "data": [ { "name": "text_data", "dest": [ { "extension": "transcript" } ] }, { "name": "session_event", "dest": [ { "extension": "transcript" } ] } ] } ] }
            """, new Journal());
        var v2v = await graph.Get<Probe>("v2v").Env;

        // The question's place (its commit), its answer, then its words: the service's usual order.
        await v2v.SendDataAsync(Data("session_event", ("kind", "user_transcript_pending"), ("item_id", "item_q"), ("pending", true)), Ct);
        await v2v.SendDataAsync(Data("text_data", ("text", "Noon."), ("role", "assistant"), ("is_final", true), ("end_of_segment", true), ("stream_id", 0L)), Ct);
        await v2v.SendDataAsync(Data("text_data", ("text", "what time is it?"), ("role", "user"), ("is_final", true), ("end_of_segment", true), ("stream_id", 7L), ("item_id", "item_q")), Ct);
        await graph.WhenIdleAsync(TimeSpan.Zero, Ct);
        await graph.StopAsync(Ct);

        var lines = File.ReadAllLines(dir.File("transcript.jsonl")).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        Assert.Equal(3, lines.Count);
        Assert.Equal(["time_ms", "event", "item_id", "pending"], lines[0].Select(p => p.Key));
        Assert.Equal(("user_transcript_pending", "item_q", true), (S(lines[0], "event"), S(lines[0], "item_id"), lines[0]["pending"]!.GetValue<bool>()));
        Assert.False(lines[1].ContainsKey("item_id"));
        Assert.Equal(("user", "item_q"), (S(lines[2], "role"), S(lines[2], "item_id")));
    }

    private static string? S(JsonObject line, string name) => line[name]?.GetValue<string>();

    private static DataMessage Text(params (string Name, JsonNode? Value)[] properties) => Data("text_data", properties);

    private static DataMessage Data(string messageName, params (string Name, JsonNode? Value)[] properties)
    {
        var data = new DataMessage(messageName);
        foreach (var (name, value) in properties)
        {
            data.Set(name, value);
        }
        return data;
    }
}
