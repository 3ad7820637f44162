using V2V.Voice.Turns;

namespace V2V.Voice.Tests.Turns;

/// <summary>
/// What the session tells of the user's speech when a new connection hears again the turn it was sent: told once,
/// and what the old connection had not reported is told as it comes.
/// </summary>
public sealed class ToldUserSpeechTests
{
    [Fact]
    public void TurnToldWholeBeforeTheSwitch_IsNotToldAgain_WhenTheNewConnectionHearsIt()
    {
        var told = new ToldUserSpeech();
        Assert.True(told.SpeechStarted(300));
        Assert.True(told.SpeechStopped(2700, "item_old"));
        Assert.True(told.Transcribed("item_old"));

        told.NewConnection(replayedMs: 3200);

        Assert.False(told.SpeechStarted(0));
        Assert.False(told.SpeechStopped(2400, "item_again"));
        Assert.True(told.CommittedToldBefore("item_again")); // so its transcription is not awaited
        Assert.False(told.Transcribed("item_again"));
        Assert.True(told.SpeechStarted(5000)); // the next turn is new speech
        Assert.True(told.SpeechStopped(6500, "item_next"));
        Assert.True(told.Transcribed("item_next"));
    }

    [Fact]
    public void TurnEndedHere_TranscribedBeforeTheSwitch_IsNotToldAgain_WhenTheNewConnectionCommitsItAgain()
    {
        // Manual turns and the local VAD: no speech events from the service; the turn is known by its commit.
        var told = new ToldUserSpeech();
        Assert.False(told.CommittedToldBefore("item_old"));
        Assert.True(told.Transcribed("item_old"));

        told.NewConnection(replayedMs: 2400, committedAgain: true);

        Assert.True(told.CommittedToldBefore("item_again")); // its transcription is not awaited
        Assert.False(told.Transcribed("item_again"));
        Assert.False(told.CommittedToldBefore("item_next")); // the next turn is new
        Assert.True(told.Transcribed("item_next"));
    }

    [Fact]
    public void TurnEndedHere_NotTranscribedBeforeTheSwitch_ItsTranscriptComesFromTheNewConnection()
    {
        var told = new ToldUserSpeech();
        Assert.False(told.CommittedToldBefore("item_old"));

        told.NewConnection(replayedMs: 2400, committedAgain: true);

        Assert.False(told.CommittedToldBefore("item_again"));
        Assert.True(told.Transcribed("item_again"));
    }

    [Fact]
    public void TurnEndedButNotTranscribedBeforeTheSwitch_ItsTranscriptComesFromTheNewConnection()
    {
        var told = new ToldUserSpeech();
        told.SpeechStarted(300);
        told.SpeechStopped(2700, "item_old");

        told.NewConnection(replayedMs: 3200);

        Assert.False(told.SpeechStarted(0));
        Assert.False(told.SpeechStopped(2400, "item_again"));
        Assert.False(told.CommittedToldBefore("item_again")); // awaited from the new connection
        Assert.True(told.Transcribed("item_again")); // the old connection's transcript never came
    }

    [Fact]
    public void TurnStillHeardAtTheSwitch_ItsEndIsTold_WhenTheNewConnectionHearsIt()
    {
        var told = new ToldUserSpeech();
        Assert.True(told.SpeechStarted(300));

        told.NewConnection(replayedMs: 1500);

        Assert.False(told.SpeechStarted(0)); // told on the old connection
        Assert.True(told.SpeechStopped(2400, "item_again")); // the old one never said
        Assert.True(told.Transcribed("item_again"));
    }

    [Fact]
    public void TurnNeverToldBeforeTheSwitch_IsToldWhole()
    {
        // The session was behind: the old connection's speech start was read (so the turn was sent again) but not told.
        var told = new ToldUserSpeech();
        told.NewConnection(replayedMs: 1500);

        Assert.True(told.SpeechStarted(0));
        Assert.True(told.SpeechStopped(1200, "item_again"));
    }

    [Fact]
    public void AnsweredTurn_LeavesNothingToHide_OnTheNextConnection()
    {
        var told = new ToldUserSpeech();
        told.SpeechStarted(300);
        told.SpeechStopped(2700, "item_old");
        told.Transcribed("item_old");
        told.AnswerHeard();

        told.NewConnection(replayedMs: 800); // what the new connection is sent is a later turn's beginning

        Assert.True(told.SpeechStarted(0));
        Assert.True(told.SpeechStopped(700, "item_next"));
        Assert.True(told.Transcribed("item_next"));
    }

    [Fact]
    public void ResponseWhileTheUserSpeaks_DoesNotEndTheTurnAsTold()
    {
        var told = new ToldUserSpeech();
        told.SpeechStarted(300);
        told.AnswerHeard(); // a greeting or a tool's answer, while the user goes on speaking

        told.NewConnection(replayedMs: 2000);

        Assert.False(told.SpeechStarted(0));
        Assert.True(told.SpeechStopped(1900, "item_again"));
    }

    [Fact]
    public void NoReplay_EverySpeechEventIsTold()
    {
        var told = new ToldUserSpeech();
        told.SpeechStarted(300);
        told.SpeechStopped(2700, "item_old");
        told.NewConnection(replayedMs: 0);

        Assert.True(told.SpeechStarted(0));
        Assert.True(told.SpeechStopped(500, "item_new"));
        Assert.True(told.Transcribed("item_new"));
    }
}
