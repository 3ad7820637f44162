using System.Text;
using V2V.Realtime.Protocol;
using V2V.Realtime.Protocol.ServerEvents;

namespace V2V.Realtime.Tests.Protocol;

/// <summary>
/// Audio deltas are the one event that arrives 10-50 times a second per session: a disposed delta is filled
/// again by the parser, and its event id stays bytes until asked for, so reading deltas allocates nothing.
/// </summary>
public sealed class AudioDeltaReuseTests
{
    private static byte[] Delta(string eventIdJson, string responseId, string itemId, int outputIndex, int contentIndex, byte[] audio, string type = "response.output_audio.delta") =>
        Encoding.UTF8.GetBytes($$"""{"type":"{{type}}","event_id":{{eventIdJson}},"response_id":"{{responseId}}","item_id":"{{itemId}}","output_index":{{outputIndex}},"content_index":{{contentIndex}},"delta":"{{Convert.ToBase64String(audio)}}"}""");

    [Fact]
    public void DisposedDelta_IsFilledWithTheNextOne_AndShowsOnlyItsFields()
    {
        var parser = new RealtimeEventParser(RealtimeDialect.GA);
        var first = Assert.IsType<ResponseOutputAudioDeltaEvent>(parser.Parse(Delta("\"event_1\"", "resp_1", "item_1", 0, 0, [1, 2, 3, 4])));
        Assert.Equal("event_1", first.EventId);
        first.Dispose();

        var second = Assert.IsType<ResponseOutputAudioDeltaEvent>(parser.Parse(Delta("\"event_22\"", "resp_2", "item_2", 1, 3, [9, 8])));

        Assert.Same(first, second);
        Assert.Equal("event_22", second.EventId);
        Assert.Equal("resp_2", second.ResponseId);
        Assert.Equal("item_2", second.ItemId);
        Assert.Equal(1, second.OutputIndex);
        Assert.Equal(3, second.ContentIndex);
        Assert.Equal([9, 8], second.Audio.ToArray());
        Assert.Equal(Convert.ToBase64String([9, 8]), second.Delta);
        Assert.Null(second.AdditionalProperties);
        second.Dispose();
    }

    [Fact]
    public void DeltaNotDisposed_IsNeverReused()
    {
        var parser = new RealtimeEventParser(RealtimeDialect.GA);
        var first = (ResponseOutputAudioDeltaEvent)parser.Parse(Delta("\"e1\"", "resp_1", "item_1", 0, 0, [1, 2]));
        var second = (ResponseOutputAudioDeltaEvent)parser.Parse(Delta("\"e2\"", "resp_1", "item_1", 0, 0, [3, 4]));

        Assert.NotSame(first, second);
        Assert.Equal([1, 2], first.Audio.ToArray());
        Assert.Equal("e1", first.EventId);
    }

    [Theory]
    [InlineData("\"ev\\u0041\"", "evA")]
    [InlineData("null", null)]
    public void EventId_EscapedOrNull_IsReadAsTheWireMeansIt(string eventIdJson, string? expected)
    {
        var parser = new RealtimeEventParser(RealtimeDialect.GA);
        using var delta = (ResponseOutputAudioDeltaEvent)parser.Parse(Delta(eventIdJson, "resp_1", "item_1", 0, 0, [5, 6]));

        Assert.Equal(expected, delta.EventId);
    }

    [Fact]
    public void BetaDeltas_AreReusedUnderTheirOwnName()
    {
        var parser = new RealtimeEventParser(RealtimeDialect.Beta);
        var first = (ResponseOutputAudioDeltaEvent)parser.Parse(Delta("\"e1\"", "resp_1", "item_1", 0, 0, [1, 2], type: "response.audio.delta"));
        first.Dispose();
        using var second = (ResponseOutputAudioDeltaEvent)parser.Parse(Delta("\"e2\"", "resp_1", "item_1", 0, 0, [1, 2], type: "response.audio.delta"));

        Assert.Same(first, second);
        Assert.Equal("response.audio.delta", second.Type);
    }

    [Fact]
    public void ReadingAndDisposingDeltas_AllocatesNothingPerDelta()
    {
        var parser = new RealtimeEventParser(RealtimeDialect.GA);
        var message = Delta("\"event_0123456789abcdef\"", "resp_1", "item_1", 0, 0, new byte[480]);
        for (int i = 0; i < 100; i++)
        {
            using var warm = (ResponseOutputAudioDeltaEvent)parser.Parse(message);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        long audioBytes = 0;
        for (int i = 0; i < 1000; i++)
        {
            using var delta = (ResponseOutputAudioDeltaEvent)parser.Parse(message);
            audioBytes += delta.Audio.Length;
        }
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(480_000, audioBytes);
        Assert.True(allocated < 1000, $"1000 deltas allocated {allocated} bytes; expected none per delta.");
    }
}
