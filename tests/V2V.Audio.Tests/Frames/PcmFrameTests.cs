using V2V.Frames;

namespace V2V.Audio.Tests.Frames;

/// <summary>
/// The pooled frame's one rule, the receiver disposes, and what keeps it safe: a disposed frame cannot be read
/// through any copy of its handle, even once its buffer carries another frame.
/// </summary>
public sealed class PcmFrameTests
{
    [Fact]
    public void RentedFrame_DescribesItsSamples()
    {
        using var frame = PcmFrame.Rent(960, 48000);
        frame.WritableSpan.Fill(7);
        frame.SetStream(new AudioStreamId(9));
        frame.SetItem("item_1", 4800);

        Assert.Equal(960, frame.Length);
        Assert.Equal(480, frame.SamplesPerChannel);
        Assert.Equal(TimeSpan.FromMilliseconds(10), frame.Duration);
        Assert.Equal(new AudioStreamId(9), frame.StreamId);
        Assert.Equal("item_1", frame.ItemId);
        Assert.Equal(100.0, frame.ItemEndMs);
        Assert.All(frame.Span.ToArray(), b => Assert.Equal(7, b));
    }

    [Fact]
    public void DisposedFrame_ThrowsThroughEveryCopy_EvenWhenItsBufferCarriesTheNextFrame()
    {
        var first = PcmFrame.Rent(4, 24000);
        first.WritableSpan.Fill(1);
        var kept = first;
        first.Dispose();

        // Rent until the pool hands the same slot out again (it is a stack, so at once unless another test took it).
        var later = new List<PcmFrame>();
        for (var i = 0; i < 64; i++)
        {
            var next = PcmFrame.Rent(4, 24000);
            next.WritableSpan.Fill(2);
            later.Add(next);
        }

        Assert.False(kept.IsAlive);
        Assert.Throws<ObjectDisposedException>(() => kept.Span.ToArray());
        Assert.Throws<ObjectDisposedException>(() => kept.ItemId);
        Assert.All(later, f => Assert.Equal([2, 2, 2, 2], f.Span.ToArray()));
        later.ForEach(f => f.Dispose());
    }

    [Fact]
    public void SecondDispose_OfAStaleHandle_LeavesTheNextFrameAlone()
    {
        var first = PcmFrame.Rent(4, 24000);
        var stale = first;
        first.Dispose();
        var frames = Enumerable.Range(0, 64).Select(_ => PcmFrame.Rent(4, 24000)).ToList();

        stale.Dispose();

        Assert.All(frames, f => Assert.True(f.IsAlive));
        frames.ForEach(f => f.Dispose());
    }

    [Fact]
    public void FrameWithTwoOwners_LivesUntilBothHaveDisposedIt()
    {
        var frame = PcmFrame.Rent(4, 24000);
        frame.AddOwners(1);

        frame.Dispose();
        Assert.True(frame.IsAlive);
        Assert.Equal(4, frame.Length);

        frame.Dispose();
        Assert.False(frame.IsAlive);
        Assert.Throws<ObjectDisposedException>(() => frame.AddOwners(1));
    }

    [Fact]
    public void NoFrame_SaysSoWhenRead()
    {
        var none = default(PcmFrame);

        Assert.True(none.IsNone);
        var error = Assert.Throws<ObjectDisposedException>(() => none.Length);
        Assert.Contains("PcmFrame.Rent", error.Message, StringComparison.Ordinal);
        none.Dispose(); // harmless
    }

    [Fact]
    public void WrappedMemory_IsReadButNotWritten()
    {
        byte[] samples = [1, 2, 3, 4];
        var frame = PcmFrame.Wrap(samples, 16000);

        Assert.Equal(samples, frame.Span.ToArray());
        Assert.Throws<InvalidOperationException>(() => frame.WritableSpan.Length);
        frame.Dispose();
        Assert.Equal([1, 2, 3, 4], samples); // the caller's memory is the caller's
    }

    [Fact]
    public void Properties_AreMadeOnlyWhenAskedFor_AndDoNotPassToTheNextFrame()
    {
        var frame = PcmFrame.Rent(4, 24000);
        Assert.False(frame.HasProperties);
        frame.Properties["note"] = "x";
        Assert.True(frame.HasProperties);
        frame.Dispose();

        var frames = Enumerable.Range(0, 64).Select(_ => PcmFrame.Rent(4, 24000)).ToList();

        Assert.All(frames, f => Assert.False(f.HasProperties));
        frames.ForEach(f => f.Dispose());
    }

    [Theory]
    [InlineData(0, 1, "sample_rate")]
    [InlineData(24000, 0, "number_of_channels")]
    [InlineData(24000, 9, "number_of_channels")]
    public void BadFormat_IsRefused_NamingTheField(int sampleRate, int channels, string field)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => PcmFrame.Rent(4, sampleRate, channels));
        Assert.Contains(field, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Trim_ShortensTheFrame_AndRefusesToGrowIt()
    {
        using var frame = PcmFrame.Rent(100, 24000);
        frame.Trim(40);

        Assert.Equal(40, frame.Length);
        Assert.Throws<ArgumentOutOfRangeException>(() => frame.Trim(41));
    }

    [Fact]
    public void RentingAndDisposingFrames_AllocatesNothing_OnceWarm()
    {
        for (var i = 0; i < 100; i++)
        {
            PcmFrame.Rent(960, 48000).Dispose();
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            var frame = PcmFrame.Rent(960, 48000);
            frame.SetItem("item_1", i * 480L);
            frame.Dispose();
        }
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // A buffer per frame would be 1000 x 960 bytes; the bound leaves room for the shared pool's rare fresh array
        // (after a GC trims it, or when the thread lands on another core's bucket), which is not per frame.
        Assert.True(allocated < 1000 * 64, $"1000 frames allocated {allocated} bytes; expected no buffer (960 B) per frame.");
    }
}
