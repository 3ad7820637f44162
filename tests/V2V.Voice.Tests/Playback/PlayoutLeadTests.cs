using System.Diagnostics;
using System.Threading.Channels;
using V2V.Voice.Outputs;
using V2V.Voice.Playback;
using V2V.Voice.Tests.Support;

namespace V2V.Voice.Tests.Playback;

/// <summary>
/// A queue played by a pacer hands frames over up to one pacer tick ahead of their time: the reader gets what is due
/// before the pacer's next wake-up, so it never waits on the tick, and never more than that.
/// </summary>
public sealed class PlayoutLeadTests
{
    private static readonly TimeSpan Frame = TimeSpan.FromMilliseconds(10);

    private static (PlayoutQueue Queue, Channel<VoiceSessionOutput> Output) NewQueue(TimeSpan releaseAhead)
    {
        var rig = new PlayoutRig(Frame, releaseAhead);
        return (rig.Queue, rig.Output);
    }

    private static int Released(Channel<VoiceSessionOutput> output)
    {
        var count = 0;
        while (output.Reader.TryRead(out var o))
        {
            o.Audio.Dispose();
            count++;
        }
        return count;
    }

    [Fact]
    public void TheFirstFramesOfAnAnswer_GoAtOnce_AsFarAsOneTickAhead()
    {
        var (atTheirTime, exact) = NewQueue(TimeSpan.Zero);
        var (aTickAhead, ahead) = NewQueue(TimeSpan.FromMilliseconds(20));

        atTheirTime.Enqueue(AgentFrames.Of("item_1", 10));
        var before = Stopwatch.GetTimestamp(); // no later than the time the queue saw when it took the frames below
        aTickAhead.Enqueue(AgentFrames.Of("item_1", 10));

        Assert.Equal(1, Released(exact)); // the frame due now
        Assert.Equal(3, Released(ahead)); // due now, in 10 ms and in 20 ms
        aTickAhead.Release(before);
        Assert.Equal(0, Released(ahead)); // nothing beyond one tick ahead
        aTickAhead.Release(before + Stopwatch.Frequency); // a second on: the rest
        Assert.Equal(7, Released(ahead));
    }

    [Fact]
    public void TheDefaultPacing_HandsTwoTenMsFramesOverPerWakeUp()
    {
        var options = new VoiceSessionOptions();

        Assert.Equal(TimeSpan.FromMilliseconds(20), options.OutputPacingInterval);
        Assert.Equal(TimeSpan.FromMilliseconds(10), options.OutputFrameDuration);
        Assert.Same(AudioPacer.For(options.OutputPacingInterval), AudioPacer.For(TimeSpan.FromMilliseconds(20)));
        Assert.Equal(options.OutputPacingInterval, AudioPacer.For(options.OutputPacingInterval).Tick);
    }
}
