using System.Text.Json.Nodes;
using V2V.Graph.BuiltIns;
using V2V.Graph.Tests.Support;
using V2V.Ten.Messages;

namespace V2V.Graph.Tests.BuiltIns;

public sealed class MessageCollectorTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string Graph = """
        { "nodes": [ { "name": "v2v", "addon": "probe" }, { "name": "message_collector", "addon": "message_collector" }, { "name": "rtc", "addon": "probe" } ],
          "connections": [
            { "extension": "v2v", "data": [ { "name": "text_data", "dest": [ { "extension": "message_collector" } ] } ] },
            { "extension": "message_collector", "data": [ { "name": "data", "dest": [ { "extension": "rtc" } ] } ] } ] }
        """;

    private static DataMessage Text(string text, long streamId, bool? isFinal, bool endOfSegment)
    {
        var data = new DataMessage("text_data");
        data.Set("text", text).Set("stream_id", streamId).Set("end_of_segment", endOfSegment);
        if (isFinal is { } f)
        {
            data.Set("is_final", f);
        }
        return data;
    }

    // What TEN's playground does with the data channel: put the parts back together into messages.
    private static List<JsonObject> Decode(IEnumerable<TenMessage> received)
    {
        var chunks = new CollectorChunks();
        return [.. received.Select(m => chunks.Add(m.GetString("data")!)).OfType<JsonObject>()];
    }

    [Fact]
    public async Task SentencesOfATurn_AccumulatePerStream_UntilTheEndOfTheSegmentCarriesTheWholeTurn()
    {
        var journal = new Journal();
        await using var graph = await TestGraph.StartAsync(Graph, journal);
        var v2v = await graph.Get<Probe>("v2v").Env;

        // The assistant (stream 0) speaks two sentences, the user (stream 7) is transcribed in between; is_final is absent, as the original sends.
        await v2v.SendDataAsync(Text("Hello there. ", 0, null, false), Ct);
        await v2v.SendDataAsync(Text("What is", 7, false, false), Ct);
        await v2v.SendDataAsync(Text("How can I help?", 0, null, false), Ct);
        await v2v.SendDataAsync(Text("What is the time?", 7, true, true), Ct);
        await v2v.SendDataAsync(Text("", 0, null, true), Ct);
        await graph.WhenIdleAsync(TimeSpan.Zero, Ct);

        var messages = Decode(graph.Get<Probe>("rtc").Received);
        Assert.Equal(5, messages.Count);
        Assert.All(messages, m => Assert.Equal("transcribe", m["data_type"]!.GetValue<string>()));
        Assert.Equal(["Hello there. ", "What is", "Hello there. How can I help?", "What is the time?", "Hello there. How can I help?"], messages.Select(m => m["text"]!.GetValue<string>()));
        Assert.Equal([false, false, false, true, true], messages.Select(m => m["is_final"]!.GetValue<bool>()));
        Assert.Equal([0L, 7, 0, 7, 0], messages.Select(m => m["stream_id"]!.GetValue<long>()));
        Assert.All(messages, m => Assert.True(m["text_ts"]!.GetValue<long>() > 0));
    }

    [Fact]
    public async Task ALongTurn_GoesInSeveralChunksOfAtMost1024Bytes_AndComesBackWhole()
    {
        var journal = new Journal();
        await using var graph = await TestGraph.StartAsync(Graph, journal);
        var v2v = await graph.Get<Probe>("v2v").Env;
        var turn = string.Concat(Enumerable.Range(0, 120).Select(i => $"Sentence {i}, with ünïcödé. "));

        await v2v.SendDataAsync(Text(turn, 0, true, true), Ct);
        await graph.WhenIdleAsync(TimeSpan.Zero, Ct);

        var received = graph.Get<Probe>("rtc").Received;
        Assert.True(received.Count > 3);
        Assert.All(received, m => Assert.True(System.Text.Encoding.UTF8.GetByteCount(m.GetString("data")!) <= CollectorChunks.MaxChunkBytes));
        var parts = received.Select(m => m.GetString("data")!.Split('|')).ToList();
        Assert.Single(parts.Select(p => p[0]).Distinct());
        Assert.Equal(Enumerable.Range(1, received.Count).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), parts.Select(p => p[1]));
        Assert.All(parts, p => Assert.Equal(received.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), p[2]));
        Assert.Equal(turn, Assert.Single(Decode(received))["text"]!.GetValue<string>());
    }

    [Fact]
    public void Chunks_OutOfOrder_StillMakeTheMessage_AndGarbageIsAFormatError()
    {
        var message = new JsonObject { ["text"] = new string('x', 3000) };
        var parts = CollectorChunks.Split("abc12345", message);
        var chunks = new CollectorChunks();

        Assert.Equal(3000, parts.Reverse().Select(chunks.Add).OfType<JsonObject>().Single()["text"]!.GetValue<string>().Length);
        Assert.Throws<FormatException>(() => chunks.Add("no separators"));
    }
}
