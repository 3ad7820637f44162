using V2V.Ten;
using V2V.Ten.Messages;

namespace V2V.Ten.Tests;

public sealed class TenMessageTests
{
    [Fact]
    public void TypedGetters_ReadPropertiesAndNullWhenAbsent()
    {
        var data = new DataMessage("text_data");
        data.Set("text", "hello").Set("is_final", true).Set("stream_id", 1234L);

        Assert.Equal("hello", data.GetString("text"));
        Assert.True(data.GetBool("is_final"));
        Assert.Equal(1234L, data.GetInt64("stream_id"));
        Assert.Null(data.GetString("role"));
        Assert.Null(data.GetInt64("missing"));
    }

    [Fact]
    public void TypedGetter_WrongType_NamesTheProperty()
    {
        var data = new DataMessage("text_data");
        data.Set("is_final", "yes");

        var ex = Assert.Throws<TenPropertyException>(() => data.GetBool("is_final"));

        Assert.Equal("is_final", ex.Property);
        Assert.Contains("text_data", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AudioFrame_DerivesSamplesAndDuration()
    {
        var frame = new AudioFrame("pcm_frame", new byte[640], 16000, 2);

        Assert.Equal(160, frame.SamplesPerChannel);
        Assert.Equal(TimeSpan.FromMilliseconds(10), frame.Duration);
    }

    [Fact]
    public void Cmd_HasAUniqueId()
    {
        Assert.NotEqual(new Cmd("flush").Id, new Cmd("flush").Id);
    }
}
