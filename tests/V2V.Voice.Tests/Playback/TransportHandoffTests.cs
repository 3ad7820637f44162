using System.Diagnostics;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using V2V.Realtime.Protocol;
using V2V.Realtime.Protocol.ClientEvents;
using V2V.Realtime.Protocol.ServerEvents;
using V2V.Voice.Conversation;
using V2V.Voice.Diagnostics;
using V2V.Voice.Outputs;
using V2V.Voice.Playback;
using V2V.Voice.Session;
using V2V.Voice.Tests.Support;
using V2V.Voice.Transcripts;
using V2V.Voice.Turns;

namespace V2V.Voice.Tests.Playback;

/// <summary>
/// Played is what the transport took out of the session's outputs, not what the pacer wrote into them: a reader that
/// stops mid-answer holds the truncate and the heard transcript back, and gets none of the stale audio afterwards.
/// </summary>
public sealed class TransportHandoffTests
{
    private static readonly TimeSpan FrameLength = TimeSpan.FromMilliseconds(10);

    [Fact]
    public void ABargeIn_TruncatesAtWhatTheReaderTook_NotAtWhatThePacerReleased()
    {
        var (queue, handoff, output, meters) = NewPlayout();
        using var ownMeters = meters;
        var turns = new TurnTracker();
        turns.OnResponseCreated("resp_1");
        turns.OnAudioReceived("item_1", 0, "resp_1", 1000);
        queue.Enqueue(AgentFrames.Of("item_1", 100));

        queue.Release(Stopwatch.GetTimestamp() + Ticks(5000)); // the pacer released the whole second into the channel
        Assert.Equal(100, output.Reader.Count);
        Take(handoff, 30); // the transport took 300 ms of it, then stopped reading

        var (item, playedMs, dropped, _) = queue.Clear();
        var plan = turns.BargeIn(item, playedMs);

        Assert.Equal(0, dropped); // nothing was left in the queue: it all waited in the channel
        Assert.Equal("resp_1", plan.CancelResponseId);
        var truncate = Assert.Single(plan.Truncates);
        Assert.Equal(("item_1", 300), (truncate.ItemId, truncate.AudioEndMs));
    }

    [Fact]
    public void AfterABargeIn_TheReaderGetsNoneOfWhatItHadNotTaken_AndTheWordsItTookAreWhatWasHeard()
    {
        var (queue, handoff, output, meters) = NewPlayout();
        using var ownMeters = meters;
        using var droppedFrames = new MetricCollector<long>(meters.Factory, VoiceMetrics.MeterName, "v2v.frames_dropped");
        var turn = new SpokenTurn("item_1");
        queue.Enqueue(AgentFrames.Of("item_1", 20));
        queue.EnqueueText(Piece("Heard."), turn, 6);
        queue.Enqueue(AgentFrames.Of("item_1", 40, startMs: 200));
        queue.EnqueueText(Piece(" Released, never taken.", final: true), turn, 29);
        queue.Enqueue(AgentFrames.Of("item_1", 40, startMs: 600));
        queue.Release(Stopwatch.GetTimestamp() + Ticks(700)); // both pieces and about 70 frames are in the channel

        var taken = Take(handoff, 25); // 20 frames, the first piece, 4 frames
        Assert.Equal(6, turn.HeardChars);

        var (item, playedMs, _, cut) = queue.Clear();
        output.Writer.TryWrite(new FlushOutput(item)); // as the barge-in does next
        var after = Take(handoff, int.MaxValue);

        Assert.Equal(("item_1", 240.0), (item, playedMs));
        Assert.Same(turn, cut);
        Assert.Single(taken.OfType<TranscriptOutput>());
        Assert.IsType<FlushOutput>(Assert.Single(after));
        Assert.Equal(6, turn.HeardChars);
        Assert.False(turn.FinalHeard);
        Assert.False(handoff.TryTakeHeardTurn(out _));
        Assert.False(handoff.InFlight);
        Assert.True(droppedFrames.GetMeasurementSnapshot().Sum(m => m.Value) >= 40);
    }

    [Fact]
    public async Task Unpaced_AReaderBehind_HoldsTheTruncateBackToWhatItTook()
    {
        var ct = TestContext.Current.CancellationToken;
        var rig = new StageRig(o => o.OutputSampleRate = 24000);
        var stages = new AnswerStages(rig);
        var bargeIn = stages.BargeIn;
        stages.Turns.OnResponseCreated("resp_1");
        for (var i = 0; i < 5; i++)
        {
            await stages.AudioDeltaAsync("resp_1", "item_1", 200); // a second of audio written for the reader
        }

        var taken = rig.TakeOutputs(most: 12); // the transport took 120 ms
        Assert.True(bargeIn.AgentSpeaking);
        await bargeIn.RunAsync("test", ct);

        var truncate = Assert.Single(rig.Sent<ConversationItemTruncateEvent>());
        Assert.Equal(("item_1", 120), (truncate.ItemId, truncate.AudioEndMs));
        Assert.All(taken, o => Assert.IsType<HeardAudio>(o));
        Assert.IsType<FlushOutput>(rig.TakeOutputs()[0]);
        Assert.False(bargeIn.AgentSpeaking);
    }

    [Fact]
    public void WhenTheTransportReports_ThePlayedPositionFollowsTheReports_NotWhatTheReaderTook()
    {
        var (queue, handoff, _, meters) = NewPlayout(reportsPlayed: true);
        using var ownMeters = meters;
        queue.Enqueue(AgentFrames.Of("item_1", 100));
        queue.Release(Stopwatch.GetTimestamp() + Ticks(5000));
        Take(handoff, 60); // the phone's writer took 600 ms and sent it; the phone has played 200 ms of it

        handoff.ReportPlayed("item_1", 200);

        var (item, playedMs, _, _) = queue.Clear();
        Assert.Equal(("item_1", 200.0), (item, playedMs));
    }

    [Fact]
    public void WhenTheTransportReports_NothingReported_IsNothingPlayed_HoweverMuchTheReaderTook()
    {
        var (queue, handoff, _, meters) = NewPlayout(reportsPlayed: true);
        using var ownMeters = meters;
        queue.Enqueue(AgentFrames.Of("item_1", 50));
        queue.Release(Stopwatch.GetTimestamp() + Ticks(5000));
        Take(handoff, 50);

        var (item, playedMs, _, _) = queue.Clear();

        Assert.Equal(("item_1", 0.0), (item, playedMs));
    }

    [Fact]
    public void WhenTheTransportReports_ALateReportOfAnEarlierItem_OrAnEarlierPoint_DoesNotMoveThePositionBack()
    {
        var (queue, handoff, _, meters) = NewPlayout(reportsPlayed: true);
        using var ownMeters = meters;
        queue.Enqueue(AgentFrames.Of("item_1", 50));
        queue.Enqueue(AgentFrames.Of("item_2", 50));
        queue.Release(Stopwatch.GetTimestamp() + Ticks(5000));
        Take(handoff, 100);

        handoff.ReportPlayed("item_1", 500);
        handoff.ReportPlayed("item_2", 300);
        handoff.ReportPlayed("item_2", 100); // behind the last report of the same item
        handoff.ReportPlayed("item_1", 400); // an item heard before the current one

        var (item, playedMs, _, _) = queue.Clear();
        Assert.Equal(("item_2", 300.0), (item, playedMs));
    }

    [Fact]
    public void WhenTheTransportReports_AReportBeyondTheAudioWritten_IsClampedToIt_AndTheTruncateToWhatTheServiceSent()
    {
        var (queue, handoff, _, meters) = NewPlayout(reportsPlayed: true);
        using var ownMeters = meters;
        var turns = new TurnTracker();
        turns.OnResponseCreated("resp_1");
        turns.OnAudioReceived("item_1", 0, "resp_1", 400); // the service sent 400 ms
        queue.Enqueue(AgentFrames.Of("item_1", 30)); // 300 ms of it reached the playout so far
        queue.Release(Stopwatch.GetTimestamp() + Ticks(5000));
        Take(handoff, 30);

        handoff.ReportPlayed("item_1", 9000); // a transport that claims more than it was given

        var (item, playedMs, _, _) = queue.Clear();
        Assert.Equal(("item_1", 300.0), (item, playedMs));
        var truncate = Assert.Single(turns.BargeIn("item_1", 9000).Truncates);
        // And whatever the position, never beyond what the service holds (what it sent, less what it holds back).
        Assert.Equal(400 - TurnTracker.ServiceShortfallMs, truncate.AudioEndMs);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ASecondBargeIn_WithNothingPlayedSince_NamesNoItem(bool reportsPlayed)
    {
        // The first one cut the item being heard; before the next answer plays a frame, the user speaks again (a new
        // connection's speech start): nothing was heard since, and the cut item is not named again.
        var (queue, handoff, output, meters) = NewPlayout(reportsPlayed);
        using var ownMeters = meters;
        queue.Enqueue(AgentFrames.Of("item_1", 30));
        queue.Release(Stopwatch.GetTimestamp() + Ticks(5000));
        Take(handoff, 20);
        handoff.ReportPlayed("item_1", 200);
        Assert.Equal(("item_1", 200.0), ItemAndPlayed(queue.Clear()));
        output.Writer.TryWrite(new FlushOutput("item_1")); // the session says flush after each barge-in

        handoff.ReportPlayed("item_1", 250); // a transport's late report of the item cut
        Assert.Equal((null, 0.0), ItemAndPlayed(queue.Clear()));
        output.Writer.TryWrite(new FlushOutput(null));

        queue.Enqueue(AgentFrames.Of("item_2", 30)); // the next answer: heard again from its first frame
        queue.Release(Stopwatch.GetTimestamp() + Ticks(5000));
        var taken = Take(handoff, 40).OfType<HeardAudio>().Where(a => a.ItemId == "item_2").ToList(); // after the stale ones
        Assert.NotEmpty(taken);
        var end = taken.Max(a => a.ItemEndMs);
        handoff.ReportPlayed("item_2", end);
        Assert.Equal(("item_2", end), ItemAndPlayed(queue.Clear()));
    }

    private static (string? Item, double PlayedMs) ItemAndPlayed((string? ItemId, double PlayedMs, int Dropped, SpokenTurn? CutTurn) cleared) =>
        (cleared.ItemId, cleared.PlayedMs);

    private static (PlayoutQueue Queue, TransportHandoff Handoff, Channel<VoiceSessionOutput> Output, OwnMeters Meters) NewPlayout(bool reportsPlayed = false)
    {
        var rig = new PlayoutRig(FrameLength, reportsPlayed: reportsPlayed);
        return (rig.Queue, rig.Handoff, rig.Output, rig.Meters);
    }

    // Takes up to `most` outputs as the transport does, giving the frames' buffers back.
    private static List<VoiceSessionEvent> Take(TransportHandoff handoff, int most)
    {
        var taken = new List<VoiceSessionEvent>();
        while (taken.Count < most && handoff.TryRead(out var output))
        {
            taken.Add(HeardAudio.Take(output));
        }
        return taken;
    }

    private static TranscriptOutput Piece(string text, bool final = false) => new(TranscriptRole.Assistant, text, final, final, false, "item_1");


    private static long Ticks(double ms) => (long)(ms / 1000 * Stopwatch.Frequency);
}
