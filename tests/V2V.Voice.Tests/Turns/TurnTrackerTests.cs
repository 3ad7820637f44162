using V2V.Voice.Turns;

namespace V2V.Voice.Tests.Turns;

/// <summary>The barge-in decision without a socket: what to cancel and what to truncate, from what was heard.</summary>
public sealed class TurnTrackerTests
{
    [Fact]
    public void AnAnswerAskedFor_IsOnItsWayUntilTheServerAnnouncesIt_OrTheConnectionIsReplaced()
    {
        // A renewal in between would lose the answer: the session is not quiet while one is on its way.
        var turns = new TurnTracker();
        turns.OnResponseRequested();
        Assert.True(turns.ResponseRequested);
        turns.OnResponseCreated("resp_1");
        Assert.False(turns.ResponseRequested);

        turns.OnResponseRequested();
        turns.OnNewConnection();
        Assert.False(turns.ResponseRequested);
    }

    [Fact]
    public void BargeIn_WhileGenerating_CancelsTheResponse_AndTruncatesTheHeardItemAtThePlayedPosition()
    {
        var turns = new TurnTracker();
        turns.OnResponseCreated("resp_1");
        turns.OnAudioReceived("item_1", 0, "resp_1", 1200);

        var plan = turns.BargeIn("item_1", 640.4);

        Assert.Equal("resp_1", plan.CancelResponseId);
        Assert.Equal([new TruncateOrder("item_1", 0, 640)], plan.Truncates);
        Assert.False(turns.IsLive("resp_1")); // its late deltas are dropped from now on
        Assert.Null(turns.ActiveResponseId);
    }

    [Fact]
    public void BargeIn_AfterTheServerFinished_SendsNoCancel_ButTruncatesWhatWasNotHeard()
    {
        // The service sends answers faster than real time: response.done comes long before the end is heard.
        var turns = new TurnTracker();
        turns.OnResponseCreated("resp_1");
        turns.OnAudioReceived("item_1", 0, "resp_1", 3000);
        Assert.True(turns.OnResponseDone("resp_1"));

        var plan = turns.BargeIn("item_1", 700);

        Assert.Null(plan.CancelResponseId);
        Assert.Equal([new TruncateOrder("item_1", 0, 700)], plan.Truncates);
    }

    [Fact]
    public void AnItemCutOnce_IsNotTruncatedAgain_NorOnANewConnectionThatNeverHadIt()
    {
        // A second barge-in naming the item already cut (nothing played between): on the same connection a truncate
        // past its new end is refused (invalid_value); on a new connection the item is not there (item_not_found).
        var turns = new TurnTracker();
        turns.OnResponseCreated("resp_1");
        turns.OnAudioReceived("item_1", 0, "resp_1", 2800);
        turns.OnAudioReceived("item_2", 0, "resp_1", 500);
        var first = turns.BargeIn("item_1", 2650);
        Assert.Equal([("item_1", 2650), ("item_2", 0)], first.Truncates.Select(t => (t.ItemId, t.AudioEndMs)));

        Assert.Empty(turns.BargeIn("item_1", 2650).Truncates);
        turns.OnAudioReceived("item_3", 0, "resp_2", 800);
        turns.OnNewConnection();
        Assert.Empty(turns.BargeIn("item_3", 300).Truncates);
        // Its length is kept: an answer of the old connection may still be playing, and what was heard is read from it.
        Assert.Equal(800, turns.ReceivedMs("item_3"));
    }

    [Fact]
    public void AnAnswerCutShort_OnAConnectionThatGoesOn_IsTruncatedAtTheAudioReceived_AndShorterStill_WhenTheUserCutsItWhilePlayingOn()
    {
        // A renewal failed after the answer was cut short: the old connection's item holds more than came. Cut at what came
        // (all of which plays); the user cutting in while it plays cuts it again, shorter, and never at or past that end.
        var turns = new TurnTracker();
        turns.OnResponseCreated("resp_1");
        turns.OnAudioReceived("item_1", 0, "resp_1", 2400.6);
        turns.OnResponseEndedWithItsConnection();

        Assert.Equal(new TruncateOrder("item_1", 0, 2400 - TurnTracker.ServiceShortfallMs), turns.TruncateAtReceived("item_1"));
        Assert.Null(turns.TruncateAtReceived("item_1")); // cut once: not again at the same end
        Assert.Empty(turns.BargeIn("item_1", 2300).Truncates);
        Assert.Equal([new TruncateOrder("item_1", 0, 1700)], turns.BargeIn("item_1", 1700).Truncates);

        turns.OnAudioReceived("item_2", 0, "resp_2", 900);
        turns.OnNewConnection();
        Assert.Null(turns.TruncateAtReceived("item_2")); // the new connection never had it
        Assert.Null(turns.TruncateAtReceived("item_9"));
    }

    [Fact]
    public void BargeIn_TruncatesLaterItemsOfTheSameAnswer_ThatWereNeverHeard_AtZero()
    {
        // Long answers come as several items: those after the one being heard must not stay in the conversation whole.
        var turns = new TurnTracker();
        turns.OnResponseCreated("resp_1");
        turns.OnAudioReceived("item_1", 0, "resp_1", 4000);
        turns.OnAudioReceived("item_2", 0, "resp_1", 4000);
        turns.OnAudioReceived("item_3", 0, "resp_1", 2500);
        turns.OnResponseDone("resp_1");

        var plan = turns.BargeIn("item_1", 1500);

        Assert.Equal([new TruncateOrder("item_1", 0, 1500), new TruncateOrder("item_2", 0, 0), new TruncateOrder("item_3", 0, 0)], plan.Truncates);
    }

    [Fact]
    public void BargeIn_WhileAnAnswerOfAnEndedConnectionPlaysOn_TruncatesTheLiveConnectionsAnswerQueuedBehindIt_AtZero()
    {
        // The old connection's answer plays on; the new one answered the user's turn sent to it again, and that answer
        // waits behind it. The user cuts in: the old item is not on the live connection, the new one was never heard.
        var turns = new TurnTracker();
        turns.OnResponseCreated("resp_1");
        turns.OnAudioReceived("item_1", 0, "resp_1", 4000);
        turns.OnNewConnection();
        turns.OnResponseCreated("resp_2");
        turns.OnAudioReceived("item_2", 0, "resp_2", 3000);
        turns.OnResponseDone("resp_2");

        var plan = turns.BargeIn("item_1", 2500);

        Assert.Null(plan.CancelResponseId);
        Assert.Equal([new TruncateOrder("item_2", 0, 0)], plan.Truncates);
    }

    [Fact]
    public void BargeIn_OfAnItemHeardToItsEnd_AfterTheResponseEnded_TruncatesNothing()
    {
        var turns = new TurnTracker();
        turns.OnResponseCreated("resp_1");
        turns.OnAudioReceived("item_1", 1, "resp_1", 800);
        turns.OnResponseDone("resp_1");

        Assert.Empty(turns.BargeIn("item_1", 800).Truncates);
    }

    [Fact]
    public void Truncate_IsClampedToTheAudioTheServiceHolds_AndAnItemWithoutAudioIsNotTruncated()
    {
        // The service holds less than it sent (85 ms in the reports): a truncate at the end of what came is refused.
        var turns = new TurnTracker();
        turns.OnResponseCreated("resp_1");
        turns.OnAudioReceived("item_1", 0, "resp_1", 500.6);

        Assert.Equal([new TruncateOrder("item_1", 0, 500 - TurnTracker.ServiceShortfallMs)], turns.BargeIn("item_1", 900).Truncates);
        Assert.Empty(new TurnTracker().BargeIn("item_unknown", 100).Truncates);

        var nearItsEnd = new TurnTracker();
        nearItsEnd.OnResponseCreated("resp_1");
        nearItsEnd.OnAudioReceived("item_1", 0, "resp_1", 3000);
        nearItsEnd.OnResponseDone("resp_1");
        Assert.Equal([new TruncateOrder("item_1", 0, 2900)], nearItsEnd.BargeIn("item_1", 2960).Truncates);
    }

    [Fact]
    public void OutputOfUnannouncedResponses_IsNotLive_AndMemoryIsBounded()
    {
        var turns = new TurnTracker();
        Assert.False(turns.IsLive("resp_other"));
        turns.OnResponseCreated("resp_1");
        for (var i = 0; i < TurnTracker.RememberedItems + 10; i++)
        {
            turns.OnAudioReceived($"item_{i}", 0, "resp_1", 10);
        }

        Assert.Equal(0, turns.ReceivedMs("item_0"));
        Assert.Equal(10, turns.ReceivedMs($"item_{TurnTracker.RememberedItems + 9}"));
        Assert.False(turns.OnResponseDone("resp_other"));
    }

    [Fact]
    public void ACancelledResponse_BlocksTheNextCreate_UntilItsResponseDone_OrANewConnection()
    {
        var turns = new TurnTracker();
        turns.OnResponseCreated("resp_1");
        turns.OnAudioReceived("item_1", 0, "resp_1", 500);
        Assert.False(turns.CanCreateResponse);

        turns.BargeIn("item_1", 100);
        Assert.Equal("resp_1", turns.AwaitingDoneOf);
        Assert.False(turns.CanCreateResponse); // the service still holds it: a create now would be refused

        turns.OnResponseDone("resp_1");
        Assert.True(turns.CanCreateResponse);

        turns.OnResponseCreated("resp_2");
        turns.BargeIn(null, 0);
        turns.OnNewConnection();
        Assert.True(turns.CanCreateResponse);
    }

    [Fact]
    public void AUserTurnIsOpen_FromTheServiceHearingSpeech_UntilItAnswers_OrANewConnection()
    {
        // While open, a renewal would lose the turn's audio (it is in the old connection's buffer): not a quiet moment.
        var turns = new TurnTracker();
        Assert.False(turns.UserTurnOpen);
        turns.OnUserSpeechStarted();
        Assert.True(turns.UserTurnOpen);
        turns.OnResponseCreated("resp_1");
        Assert.False(turns.UserTurnOpen);
        turns.OnUserSpeechStarted();
        turns.OnNewConnection();
        Assert.False(turns.UserTurnOpen);
    }

    [Fact]
    public void AUserTranscriptIsPending_FromEachCommit_UntilItsTranscriptionCame_OrANewConnection()
    {
        // The transcription comes on the connection that committed the audio only: a renewal meanwhile loses the user's line.
        var turns = new TurnTracker();
        turns.OnUserAudioCommitted("item_a");
        turns.OnUserAudioCommitted("item_b");
        Assert.True(turns.OnUserTranscribed("item_b"));
        Assert.True(turns.UserTranscriptPending);
        Assert.True(turns.OnUserTranscribed("item_a"));
        Assert.False(turns.UserTranscriptPending);
        Assert.False(turns.OnUserTranscribed("item_x")); // a late or unasked one changes nothing
        turns.OnUserAudioCommitted("item_c");
        Assert.True(turns.UserTranscriptPending);
        Assert.Equal(["item_c"], turns.OnNewConnection()); // what the new connection will not transcribe
        Assert.False(turns.UserTranscriptPending);
    }

    [Fact]
    public void AwaitedTranscripts_AreBounded_TheOldestGivenUp()
    {
        var turns = new TurnTracker();
        for (var i = 0; i < TurnTracker.MaxTranscriptsAwaited; i++)
        {
            Assert.Null(turns.OnUserAudioCommitted($"item_{i}"));
        }

        Assert.Equal("item_0", turns.OnUserAudioCommitted("item_new"));
        Assert.Equal(TurnTracker.MaxTranscriptsAwaited, turns.OnNewConnection().Count);
    }

    [Fact]
    public void HeardAnyOf_TheAnswer_IsWhatWasPlayedOfIt_NotWhatWasReceived()
    {
        var turns = new TurnTracker();
        turns.OnResponseCreated("resp_1");
        turns.OnAudioReceived("item_0", 0, "resp_0", 900); // an earlier answer still playing
        turns.OnAudioReceived("item_1", 0, "resp_1", 1200);
        turns.OnAudioReceived("item_2", 0, "resp_1", 800);

        Assert.False(turns.HeardAnyOf("resp_1", "item_0", 400)); // queued behind the earlier answer
        Assert.False(turns.HeardAnyOf("resp_1", "item_1", 0)); // first in the queue, not a frame played
        Assert.True(turns.HeardAnyOf("resp_1", "item_1", 20));
        Assert.False(turns.HeardAnyOf("resp_1", "item_1", 20, aWordOfThePlaying: false)); // a breath of its first syllable
        Assert.True(turns.HeardAnyOf("resp_1", "item_2", 0, aWordOfThePlaying: false)); // its first item was played whole
        Assert.True(turns.HeardAnyOf("resp_1", "item_2", 0)); // its first item was played whole
        Assert.True(turns.HeardAnyOf("resp_1", null, 0)); // nothing left queued: all of it was played
        Assert.False(turns.HeardAnyOf("resp_2", null, 0)); // no audio of it came
    }

    [Fact]
    public void TheUserMovingOn_CancelsOnlyTheResponseOfACreateOnItsWay_AsItComes()
    {
        var turns = new TurnTracker();
        turns.CancelTheResponseOnItsWay(); // nothing asked for: nothing to cancel
        Assert.True(turns.OnResponseCreated("resp_speech"));
        turns.OnResponseDone("resp_speech");

        turns.OnResponseRequested();
        turns.CancelTheResponseOnItsWay();
        Assert.False(turns.CanCreateResponse);
        Assert.False(turns.OnResponseCreated("resp_stale"));
        Assert.False(turns.IsLive("resp_stale")); // its output is dropped
        Assert.Equal("resp_stale", turns.AwaitingDoneOf);
        Assert.False(turns.CanCreateResponse); // until its response.done

        turns.OnResponseDone("resp_stale");
        Assert.True(turns.CanCreateResponse);
        turns.OnResponseRequested();
        Assert.True(turns.OnResponseCreated("resp_next")); // the mark was for that one only

        turns.OnResponseRequested();
        turns.CancelTheResponseOnItsWay();
        turns.OnNewConnection(); // the create went with its connection
        turns.OnResponseRequested();
        Assert.True(turns.OnResponseCreated("resp_on_the_new_one"));
    }
}
