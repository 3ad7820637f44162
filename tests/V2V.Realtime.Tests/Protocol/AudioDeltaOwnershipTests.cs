using System.Text;
using V2V.Realtime.Protocol;
using V2V.Realtime.Protocol.ServerEvents;

namespace V2V.Realtime.Tests.Protocol;

/// <summary>
/// Audio deltas are the one event that arrives 10-50 times a second per session: the audio is decoded into a
/// pooled frame that goes back to the pool when the delta is disposed, and its event id stays bytes until asked
/// for. A disposed delta is never filled again: reading it throws instead of showing a later delta's audio.
/// </summary>
public sealed class AudioDeltaOwnershipTests
{
    private static byte[] Delta(string eventIdJson, string responseId, string itemId, int outputIndex, int contentIndex, byte[] audio, string type = "response.output_audio.delta") =>
        Encoding.UTF8.GetBytes($$"""{"type":"{{type}}","event_id":{{eventIdJson}},"response_id":"{{responseId}}","item_id":"{{itemId}}","output_index":{{outputIndex}},"content_index":{{contentIndex}},"delta":"{{Convert.ToBase64String(audio)}}"}""");

    [Fact]
    public void DisposedDelta_ThrowsWhenRead_AndTheNextDeltaIsANewEventWithOnlyItsFields()
    {
        var parser = new RealtimeEventParser(RealtimeDialect.GA);
        var first = Assert.IsType<ResponseOutputAudioDeltaEvent>(parser.Parse(Delta("\"event_1\"", "resp_1", "item_1", 0, 0, [1, 2, 3, 4])));
        Assert.Equal("event_1", first.EventId);
        first.Dispose();

        var second = Assert.IsType<ResponseOutputAudioDeltaEvent>(parser.Parse(Delta("\"event_22\"", "resp_2", "item_2", 1, 3, [9, 8])));

        Assert.NotSame(first, second);
        Assert.Throws<ObjectDisposedException>(() => first.Audio);
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
    public void DeltaNotDisposed_KeepsItsAudio()
    {
        var parser = new RealtimeEventParser(RealtimeDialect.GA);
        var first = (ResponseOutputAudioDeltaEvent)parser.Parse(Delta("\"e1\"", "resp_1", "item_1", 0, 0, [1, 2]));
        var second = (ResponseOutputAudioDeltaEvent)parser.Parse(Delta("\"e2\"", "resp_1", "item_1", 0, 0, [3, 4]));

        Assert.NotSame(first, second);
        Assert.Equal([1, 2], first.Audio.ToArray());
        Assert.Equal("e1", first.EventId);
    }

    [Fact]
    public void TakenFrame_OutlivesTheDelta_UntilItsReceiverDisposesIt()
    {
        var parser = new RealtimeEventParser(RealtimeDialect.GA);
        var delta = (ResponseOutputAudioDeltaEvent)parser.Parse(Delta("\"e1\"", "resp_1", "item_1", 0, 0, [1, 2, 3, 4]));

        var frame = delta.TakeFrame();
        delta.Dispose();

        Assert.Equal([1, 2, 3, 4], frame.Span.ToArray());
        Assert.Equal(24000, frame.SampleRate);
        Assert.Throws<ObjectDisposedException>(() => delta.Audio);
        var kept = frame;
        frame.Dispose();
        Assert.Throws<ObjectDisposedException>(() => kept.Length);
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
    public void BetaDeltas_KeepTheirOwnName()
    {
        var parser = new RealtimeEventParser(RealtimeDialect.Beta);
        using var delta = (ResponseOutputAudioDeltaEvent)parser.Parse(Delta("\"e2\"", "resp_1", "item_1", 0, 0, [1, 2], type: "response.audio.delta"));

        Assert.Equal("response.audio.delta", delta.Type);
        Assert.Equal([1, 2], delta.Audio.ToArray());
    }

    [Fact]
    public void ReadingAndDisposingDeltas_AllocatesNoAudioBuffer()
    {
        // 100 ms of audio per delta: its 4,800 bytes come from the pool; what is allocated per delta is the event
        // object and its event id bytes, far below one audio buffer.
        const int AudioBytes = 4800;
        const int EventBytesPerDelta = 256;
        var parser = new RealtimeEventParser(RealtimeDialect.GA);
        var message = Delta("\"event_0123456789abcdef\"", "resp_1", "item_1", 0, 0, new byte[AudioBytes]);
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

        Assert.Equal(1000L * AudioBytes, audioBytes);
        Assert.True(allocated < 1000 * EventBytesPerDelta, $"1000 deltas allocated {allocated} bytes; expected at most the event ({EventBytesPerDelta} B) per delta, no audio buffer.");
    }

    [Fact]
    public void EscapedBase64_AsSystemTextJsonWritesIt_DecodesTheSameAudio_WithoutAnAudioBuffer()
    {
        // System.Text.Json's default encoder (a relay or proxy built on it) writes every '+' of base64 as \u002B, and a
        // '/' may come as \/: such a delta takes the unescaping path, which must give the same bytes and stay off the heap.
        const int AudioBytes = 4800;
        const int EventBytesPerDelta = 256;
        var audio = new byte[AudioBytes];
        for (int i = 0; i < audio.Length; i++)
        {
            audio[i] = (byte)(i * 251 % 256); // every base64 character occurs, '+' and '/' among them
        }
        var base64 = Convert.ToBase64String(audio);
        Assert.Contains('+', base64);
        Assert.Contains('/', base64);
        var escaped = base64.Replace("+", "\\u002B").Replace("/", "\\/");
        var message = Encoding.UTF8.GetBytes($$"""{"type":"response.output_audio.delta","event_id":"e1","response_id":"resp_1","item_id":"item_1","output_index":0,"content_index":0,"delta":"{{escaped}}"}""");
        var parser = new RealtimeEventParser(RealtimeDialect.GA);

        using (var first = (ResponseOutputAudioDeltaEvent)parser.Parse(message))
        {
            Assert.Equal(audio, first.Audio.ToArray());
        }
        for (int i = 0; i < 100; i++)
        {
            using var warm = (ResponseOutputAudioDeltaEvent)parser.Parse(message);
        }
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            using var delta = (ResponseOutputAudioDeltaEvent)parser.Parse(message);
        }
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(allocated < 1000 * EventBytesPerDelta, $"1000 escaped deltas allocated {allocated} bytes; expected at most the event ({EventBytesPerDelta} B) per delta, no audio buffer.");
    }

    [Fact]
    public void EscapedDelta_ThatIsNotBase64_IsAJsonError()
    {
        var message = Encoding.UTF8.GetBytes("""{"type":"response.output_audio.delta","event_id":"e1","response_id":"resp_1","item_id":"item_1","output_index":0,"content_index":0,"delta":"AA\u002B*"}""");
        var parser = new RealtimeEventParser(RealtimeDialect.GA);

        var parsed = parser.Parse(message);

        Assert.IsType<MalformedServerEvent>(parsed);
    }
}
