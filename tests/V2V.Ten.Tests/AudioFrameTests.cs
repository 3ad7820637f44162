using V2V.Frames;
using V2V.Ten.Messages;

namespace V2V.Ten.Tests;

/// <summary>
/// The TEN audio frame over the pooled pcm frame: its known properties are typed fields (no JSON per frame), read and
/// set by name as before; other properties go to a bag made only when asked for; the receiver disposes.
/// </summary>
public sealed class AudioFrameTests
{
    [Fact]
    public void KnownProperties_AreTypedFields_ReadByNameAsBefore_WithoutABag()
    {
        var pcm = PcmFrame.Rent(960, 48000);
        pcm.SetItem("item_1", 4800);
        using var frame = new AudioFrame("pcm_frame", pcm) { StreamId = new AudioStreamId(9) };

        Assert.Equal(9L, frame.GetInt64("stream_id"));
        Assert.Equal("item_1", frame.GetString("item_id"));
        Assert.Equal(100.0, frame.EndMs);
        Assert.Null(frame.GetString("role"));
        Assert.False(pcm.HasProperties);
    }

    [Fact]
    public void SetByName_FillsTheTypedFields_AndOtherPropertiesGoToTheBag()
    {
        using var frame = new AudioFrame("pcm_frame", new byte[320], 16000, 1);

        frame.Set("stream_id", 1234L).Set("item_id", "item_7").Set("end_ms", 20.0).Set("note", "kept");

        Assert.Equal(new AudioStreamId(1234), frame.StreamId);
        Assert.Equal("item_7", frame.ItemId);
        Assert.Equal(20.0, frame.EndMs);
        Assert.Equal("kept", frame.GetString("note"));
        Assert.Equal(["note"], frame.Properties.Select(p => p.Key));
    }

    [Fact]
    public void DisposedFrame_ThrowsWhenRead()
    {
        var frame = new AudioFrame("pcm_frame", PcmFrame.Rent(4, 24000));

        frame.Dispose();

        Assert.Throws<ObjectDisposedException>(() => frame.Buffer);
        Assert.Throws<ObjectDisposedException>(() => frame.GetString("item_id"));
    }

    [Fact]
    public void BadFormat_NamesTheField()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new AudioFrame("pcm_frame", new byte[4], 0, 1));
        Assert.Contains("sample_rate", error.Message, StringComparison.Ordinal);
    }
}
