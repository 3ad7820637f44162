namespace V2V.Audio.Tests;

/// <summary>Byte views, odd-byte handling and downmix without overflow.</summary>
public sealed class Pcm16Tests
{
    [Fact]
    public void Bytes_are_viewed_as_little_endian_samples_without_copying()
    {
        byte[] bytes = [0x34, 0x12, 0xFF, 0xFF];
        Span<short> samples = Pcm16.AsSamples(bytes.AsSpan());
        Assert.Equal(new short[] { 0x1234, -1 }, samples.ToArray());
        samples[0] = 1;
        Assert.Equal(1, bytes[0]);
        Assert.Equal(bytes, Pcm16.AsBytes((ReadOnlySpan<short>)samples).ToArray());
    }

    [Fact]
    public void An_odd_byte_count_is_refused_with_the_way_out_named()
    {
        var error = Assert.Throws<ArgumentException>(() => Pcm16.AsSamples(new byte[3].AsSpan()));
        Assert.Equal("bytes", error.ParamName);
        Assert.Contains("Pcm16ByteCarry", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Byte_carry_joins_samples_split_across_chunks()
    {
        byte[] stream = Pcm16.AsBytes(new short[] { 1000, -2000, 3000, -4000 }).ToArray();
        var carry = new Pcm16ByteCarry();
        var result = new List<short>();
        var buffer = new short[8];
        foreach (var range in new[] { (0, 3), (3, 4), (4, 7), (7, 8) })
        {
            int count = carry.Write(stream.AsSpan(range.Item1, range.Item2 - range.Item1), buffer);
            result.AddRange(buffer.AsSpan(0, count));
        }

        Assert.Equal(new short[] { 1000, -2000, 3000, -4000 }, result);
        Assert.False(carry.HasPendingByte);
    }

    [Fact]
    public void Float_conversion_is_symmetric_and_clips()
    {
        short[] samples = [short.MinValue, -1, 0, 1, short.MaxValue];
        var floats = new float[5];
        Pcm16.ToFloat(samples, floats);
        Assert.Equal(-1f, floats[0]);
        var back = new short[5];
        Pcm16.FromFloat(floats, back);
        Assert.Equal(samples, back);
        Pcm16.FromFloat(new[] { 2f, -2f }, back);
        Assert.Equal(new short[] { short.MaxValue, short.MinValue }, back[..2]);
    }

    [Fact]
    public void Stereo_downmix_averages_and_full_scale_does_not_wrap()
    {
        short[] stereo = [short.MaxValue, short.MaxValue, short.MinValue, short.MinValue, 100, -100, 3, 4];
        var mono = new short[4];
        Assert.Equal(4, ChannelDownmixer.ToMono(stereo, 2, mono));
        Assert.Equal(new short[] { short.MaxValue, short.MinValue, 0, 3 }, mono);
    }

    [Fact]
    public void Any_channel_count_downmixes_in_place()
    {
        short[] six = [600, 600, 600, 600, 600, 600, -6, -6, -6, -6, -6, -6];
        Assert.Equal(2, ChannelDownmixer.ToMono(six, 6, six));
        Assert.Equal(new short[] { 600, -6 }, six[..2]);
    }

    [Fact]
    public void A_partial_frame_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => ChannelDownmixer.ToMono(new short[5], 2, new short[5]));
        Assert.Equal("interleaved", error.ParamName);
    }
}
