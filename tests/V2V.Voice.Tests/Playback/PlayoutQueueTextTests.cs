using System.Diagnostics;
using System.Threading.Channels;
using V2V.Voice.Outputs;
using V2V.Voice.Playback;
using V2V.Voice.Tests.Support;

namespace V2V.Voice.Tests.Playback;

/// <summary>The agent's words leave the playout queue with the audio they came behind, never before it.</summary>
public sealed class PlayoutQueueTextTests
{
    private static readonly TimeSpan Frame = TimeSpan.FromMilliseconds(10);

    // The reader of the queue's output is the transport: words count as heard when it takes them.
    private static (PlayoutQueue Queue, TransportHandoff Output) NewQueue()
    {
        var rig = new PlayoutRig(Frame);
        return (rig.Queue, rig.Handoff);
    }

    private static List<VoiceSessionEvent> Drain(TransportHandoff output)
    {
        var all = new List<VoiceSessionEvent>();
        while (output.TryRead(out var o))
        {
            all.Add(HeardAudio.Take(o));
        }
        return all;
    }

    private static TranscriptOutput Piece(string text, bool final = false) => new(TranscriptRole.Assistant, text, final, final, false, "item_1");

    [Fact]
    public void Words_AreReleasedOnlyWhenTheAudioBeforeThemHasBeenPlayed()
    {
        var (queue, output) = NewQueue();
        var turn = new SpokenTurn("item_1");
        queue.Enqueue(AgentFrames.Of("item_1", 50));
        queue.EnqueueText(Piece("First sentence."), turn, 15);
        queue.Enqueue(AgentFrames.Of("item_1", 50, 500));
        queue.EnqueueText(Piece(" The end", final: true), turn, 23);

        var start = Stopwatch.GetTimestamp();
        queue.Release(start + Ticks(200)); // about 20 of the first 50 frames are due
        Assert.DoesNotContain(Drain(output), o => o is TranscriptOutput);
        Assert.Equal(0, turn.HeardChars);

        queue.Release(start + Ticks(600)); // past the first 50 frames
        var released = Drain(output);
        Assert.Equal("First sentence.", Assert.Single(released.OfType<TranscriptOutput>()).Text);
        Assert.True(released.FindIndex(o => o is TranscriptOutput) > released.FindLastIndex(o => o is HeardAudio a && a.ItemEndMs <= 500));
        Assert.Equal(15, turn.HeardChars);
        Assert.False(output.TryTakeHeardTurn(out _));

        queue.Release(start + Ticks(2000));
        Assert.True(Assert.Single(Drain(output).OfType<TranscriptOutput>()).IsFinal);
        Assert.True(output.TryTakeHeardTurn(out var heard));
        Assert.Same(turn, heard);
    }

    [Fact]
    public void Clear_DropsTheWordsNotYetHeard_AndNamesTheTurnItCut()
    {
        var (queue, output) = NewQueue();
        var turn = new SpokenTurn("item_1");
        queue.Enqueue(AgentFrames.Of("item_1", 30));
        queue.EnqueueText(Piece("Heard."), turn, 6);
        queue.Enqueue(AgentFrames.Of("item_1", 300, 300));
        queue.EnqueueText(Piece(" Never heard.", final: true), turn, 19);
        queue.Release(Stopwatch.GetTimestamp() + Ticks(1000));
        Drain(output);

        var (item, _, dropped, cut) = queue.Clear();
        queue.Release(Stopwatch.GetTimestamp() + Ticks(100_000));

        Assert.Equal("item_1", item);
        Assert.True(dropped > 0);
        Assert.Same(turn, cut);
        Assert.Equal(6, turn.HeardChars);
        Assert.DoesNotContain(Drain(output), o => o is TranscriptOutput);
        Assert.False(output.TryTakeHeardTurn(out _));
    }

    [Fact]
    public void Words_WithNoAudioWaiting_GoOutAtOnce()
    {
        var (queue, output) = NewQueue();
        var turn = new SpokenTurn("item_1");

        queue.EnqueueText(Piece("Text only.", final: true), turn, 10);

        Assert.Equal("Text only.", Assert.Single(Drain(output).OfType<TranscriptOutput>()).Text);
        Assert.True(output.TryTakeHeardTurn(out _));
    }

    private static long Ticks(double ms) => (long)(ms / 1000 * Stopwatch.Frequency);
}
