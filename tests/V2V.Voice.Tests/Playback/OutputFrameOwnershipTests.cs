using System.Diagnostics;
using System.Threading.Channels;
using V2V.Frames;
using V2V.Voice.Outputs;
using V2V.Voice.Playback;
using V2V.Voice.Tests.Support;

namespace V2V.Voice.Tests.Playback;

/// <summary>
/// The agent's voice as owned, pooled frames: cut once from the delta, queued, handed to the reader (who disposes),
/// and disposed by the queue when it drops them; no buffer is allocated per frame.
/// </summary>
public sealed class OutputFrameOwnershipTests
{
    private static readonly TimeSpan FrameLength = TimeSpan.FromMilliseconds(10);

    private static byte[] Ramp(int samples)
    {
        var bytes = new byte[samples * 2];
        for (var i = 0; i < samples; i++)
        {
            BitConverter.TryWriteBytes(bytes.AsSpan(i * 2), (short)i);
        }
        return bytes;
    }

    [Fact]
    public void Cutter_At24k_CutsTheDeltaIntoFramesOfItsOwnSamples_WithTheirEndInTheItem()
    {
        var cutter = new OutputFrameCutter(24000, FrameLength);
        var delta = Ramp(3600); // 150 ms
        var frames = new List<PcmFrame>();

        cutter.Add("item_1", delta, frames);

        Assert.Equal(15, frames.Count);
        Assert.All(frames, f => Assert.Equal((480, 24000, "item_1"), (f.Length, f.SampleRate, f.ItemId)));
        Assert.Equal(Enumerable.Range(1, 15).Select(i => i * 10.0), frames.Select(f => f.ItemEndMs));
        Assert.Equal(delta, frames.SelectMany(f => f.Span.ToArray()));
        frames.ForEach(f => f.Dispose());
    }

    [Fact]
    public void Cutter_At48k_PadsTheLastFrameOfAnItem_AndStartsTheNextItemOnItsOwnFrame()
    {
        var cutter = new OutputFrameCutter(48000, FrameLength);
        var frames = new List<PcmFrame>();

        cutter.Add("item_1", Ramp(1200), frames); // 50 ms
        cutter.Add("item_2", Ramp(240), frames);
        cutter.Finish(frames);

        Assert.All(frames, f => Assert.Equal(960, f.Length));
        Assert.Equal("item_2", frames[^1].ItemId);
        Assert.True(frames.Count(f => f.ItemId == "item_1") >= 5);
        frames.ForEach(f => f.Dispose());
    }

    [Theory]
    [InlineData(16000)]
    [InlineData(8000)]
    [InlineData(48000)]
    public void Cutter_AfterAnItemEndsOrIsCut_ResamplesTheNextAsANewStream(int outputRate)
    {
        var fresh = new OutputFrameCutter(outputRate, FrameLength);
        var expected = new List<PcmFrame>();
        fresh.Add("item_2", Ramp(2400), expected);
        fresh.Finish(expected);

        var cutter = new OutputFrameCutter(outputRate, FrameLength);
        var frames = new List<PcmFrame>();
        cutter.Add("item_1", Ramp(3000), frames);
        cutter.Finish(frames); // an item ended
        cutter.Add("item_x", Ramp(1000), frames);
        cutter.Reset(); // an item cut (barge-in)
        frames.ForEach(f => f.Dispose());
        frames.Clear();
        cutter.Add("item_2", Ramp(2400), frames);
        cutter.Finish(frames);

        // No history of the items before: the same samples as from a cutter that never had them.
        Assert.Equal(expected.SelectMany(f => f.Span.ToArray()), frames.SelectMany(f => f.Span.ToArray()));
        expected.ForEach(f => f.Dispose());
        frames.ForEach(f => f.Dispose());
    }

    [Fact]
    public void Queue_HandsReleasedFramesToTheReader_AndDisposesTheFramesAClearDrops()
    {
        using var rig = new PlayoutRig(FrameLength);
        var (output, handoff, queue) = (rig.Output, rig.Handoff, rig.Queue);
        var frames = AgentFrames.Of("item_1", 50);

        queue.Enqueue(frames);
        queue.Release(Stopwatch.GetTimestamp() + (Stopwatch.Frequency / 10)); // about 100 ms due
        var released = new List<PcmFrame>();
        while (handoff.TryRead(out var o))
        {
            Assert.True(o.TryGetAudio(out var frame));
            released.Add(frame);
        }
        var (_, _, dropped, _) = queue.Clear();

        Assert.NotEmpty(released);
        Assert.Equal(50, released.Count + dropped);
        Assert.All(frames.Skip(released.Count), f => Assert.False(f.IsAlive));
        Assert.All(released, a => Assert.True(a.IsAlive));
        released.ForEach(a => a.Dispose());
        Assert.All(frames, f => Assert.False(f.IsAlive));
    }

    [Fact]
    public void CutQueueAndRead_AllocatesNoBufferPerFrame()
    {
        // Nothing is allocated per frame: the frame reaches the reader as a value. A frame's own buffer would be 960
        // bytes (10 ms at 48 kHz); the bound sits well below that, because the shared array pool now and then allocates
        // anew (after a GC trims it, or when the thread moves to another core's bucket), and the delta's own event is
        // shared by 15 frames.
        const int MostBytesPerFrame = 120;
        using var rig = new PlayoutRig(FrameLength, output: Channel.CreateBounded<VoiceSessionOutput>(new BoundedChannelOptions(1024) { SingleReader = true }));
        var (output, handoff, queue) = (rig.Output, rig.Handoff, rig.Queue);
        var cutter = new OutputFrameCutter(48000, FrameLength);
        var frames = new List<PcmFrame>();
        var delta = Ramp(3600);
        var now = Stopwatch.GetTimestamp();
        long Cycle()
        {
            frames.Clear();
            cutter.Add("item_1", delta, frames);
            queue.Enqueue(frames);
            now += Stopwatch.Frequency * 3600;
            queue.Release(now);
            long count = 0;
            while (handoff.TryRead(out var o))
            {
                o.Audio.Dispose();
                count++;
            }
            return count;
        }
        for (var i = 0; i < 50; i++)
        {
            Cycle();
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        long framesOut = 0;
        for (var i = 0; i < 200; i++)
        {
            framesOut += Cycle();
        }
        var perFrame = (GC.GetAllocatedBytesForCurrentThread() - before) / (double)framesOut;

        Assert.True(framesOut >= 200 * 14);
        Assert.True(perFrame <= MostBytesPerFrame, $"{perFrame:0.#} bytes allocated per frame; expected at most {MostBytesPerFrame}: no buffer of 960 bytes per frame.");
    }
}
