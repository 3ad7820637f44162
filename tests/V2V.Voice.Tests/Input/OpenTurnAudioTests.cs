using V2V.Voice.Input;

namespace V2V.Voice.Tests.Input;

/// <summary>
/// The open user turn kept for a new connection, without a server: at 1000 Hz one sample is one ms, and each
/// sample holds its own position, so what is replayed says where it came from.
/// </summary>
public sealed class OpenTurnAudioTests
{
    private const int Rate = 1000;
    private const int PaddingMs = 300;

    [Fact]
    public void ServerTurn_IsReplayedFromItsReportedStart_LessThePadding_ThroughTheEnd()
    {
        using var turn = new OpenTurnAudio(Rate, serverDetectsTurns: true, PaddingMs);
        Append(turn, 0, 5000);

        turn.SpeechStarted(4000); // speech at 4.3 s, reported with the service's padding: 4.0 s
        Append(turn, 5000, 7000);
        var replayed = turn.Restart();

        Assert.Equal(3700, replayed.Audio[0]); // the padding once more: quiet ahead of the speech for the new detector
        Assert.Equal(6999, replayed.Audio[^1]);
        Assert.Equal(3300, replayed.ReplayedMs);
        Assert.Equal(0, replayed.MissingMs);
    }

    [Fact]
    public void KeepingTheStretchBeforeATurn_AllocatesNothing_OnceItHasItsBlocks()
    {
        // A hundred sessions append 50 chunks a second each: blocks taken and dropped as the stretch moves on would be
        // garbage (or, from the shared array pool, allocations once its per-core caches ran dry).
        using var turn = new OpenTurnAudio(24000, serverDetectsTurns: true, PaddingMs);
        var chunk = new short[480]; // 20 ms at 24 kHz
        for (var i = 0; i < 200; i++)
        {
            turn.Append(chunk);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            turn.Append(chunk);
        }
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // 20 s of audio: a new block per 85 ms would be 235 blocks of 4 KB; blocks given back and taken again, none.
        Assert.True(allocated < 4096, $"{allocated} bytes allocated appending 20 s while no turn was open");
        Assert.Equal(OpenTurnAudio.KeepBeforeATurn.TotalMilliseconds + (2 * PaddingMs), turn.KeptMs, 1);
    }

    [Fact]
    public void AnsweredTurn_IsNotReplayed_AndOnlyTheStretchBeforeATurnIsKept()
    {
        using var turn = new OpenTurnAudio(Rate, serverDetectsTurns: true, PaddingMs);
        Append(turn, 0, 3000);
        turn.SpeechStarted(2000);
        Append(turn, 3000, 9000);
        Assert.Equal(7300, turn.KeptMs); // the whole open turn, from 1.7 s

        turn.ServiceCommitted();
        turn.ResponseSeen("resp_1");
        Assert.True(turn.TurnOpen); // the reader saw the answer; the session has not taken it yet
        turn.Answered("resp_1");
        Assert.True(turn.TurnOpen); // taken; not a word of it heard yet
        turn.Heard("resp_1");
        Assert.False(turn.TurnOpen);
        Assert.Equal(OpenTurnAudio.KeepBeforeATurn.TotalMilliseconds + (2 * PaddingMs), turn.KeptMs);
        Append(turn, 9000, 20000);
        Assert.Equal(OpenTurnAudio.KeepBeforeATurn.TotalMilliseconds + (2 * PaddingMs), turn.KeptMs);

        var replayed = turn.Restart();
        Assert.Empty(replayed.Audio);
        Assert.False(turn.TurnOpen);
    }

    [Fact]
    public void LongTurn_IsBounded_OldestDropped_AndTheReplaySaysHowMuchItLacks()
    {
        using var turn = new OpenTurnAudio(Rate, serverDetectsTurns: true, PaddingMs, maxTurn: TimeSpan.FromSeconds(10));
        Append(turn, 0, 1000);
        turn.SpeechStarted(500); // from 200 ms
        Append(turn, 1000, 16000);
        Assert.Equal(10000, turn.KeptMs);

        var replayed = turn.Restart();

        Assert.Equal(6000, replayed.Audio[0]); // the last 10 s
        Assert.Equal(15999, replayed.Audio[^1]);
        Assert.Equal(5800, replayed.MissingMs); // 200 ms to 6 s
    }

    [Fact]
    public void SpeechStartReportedLate_IsReplayedFromTheOldestKept_AndTheGapIsTold()
    {
        using var turn = new OpenTurnAudio(Rate, serverDetectsTurns: true, PaddingMs);
        Append(turn, 0, 10000); // no turn: the last 1.6 s kept, from 8.4 s

        turn.SpeechStarted(8000); // from 7.7 s: 700 ms of it are gone
        var replayed = turn.Restart();

        Assert.Equal(8400, replayed.Audio[0]);
        Assert.Equal(700, replayed.MissingMs);
    }

    [Fact]
    public void TwoTurnsBeforeAnAnswer_AreBothReplayed()
    {
        using var turn = new OpenTurnAudio(Rate, serverDetectsTurns: true, PaddingMs);
        Append(turn, 0, 2000);
        turn.SpeechStarted(1500);
        Append(turn, 2000, 4000);
        turn.SpeechStarted(3500);
        Append(turn, 4000, 5000);

        Assert.Equal(1200, turn.Restart().Audio[0]);
    }

    [Fact]
    public void ReplayedTurn_StaysOpenOnTheNewClock_UntilItIsAnsweredThere()
    {
        using var turn = new OpenTurnAudio(Rate, serverDetectsTurns: true, PaddingMs);
        Append(turn, 0, 3000);
        turn.SpeechStarted(2000);
        var first = turn.Restart();
        Assert.True(turn.TurnOpen);

        // The new connection is sent the turn (appended again as it goes out), then live audio; it is renewed in turn
        // before it answered: the second connection gets all of it.
        turn.Append(first.Audio);
        Append(turn, 3000, 4000);
        var second = turn.Restart();
        Assert.Equal(1700, second.Audio[0]);
        Assert.Equal(3999, second.Audio[^1]);
        Assert.Equal(2300, second.ReplayedMs);

        turn.Append(second.Audio);
        turn.SpeechStarted(PaddingMs); // the new connection heard it, and answers it
        turn.ServiceCommitted();
        Answer(turn, "resp_1");
        turn.Heard("resp_1");
        Assert.Empty(turn.Restart().Audio);
    }

    [Fact]
    public void AnswerCutBeforeAWordOfItWasHeard_LeavesTheTurnOpen()
    {
        // A renewal forced just after the answer began (or a connection lost then): the answer is cancelled unheard, so
        // it answered nothing, and the new connection must be sent the question.
        using var turn = new OpenTurnAudio(Rate, serverDetectsTurns: true, PaddingMs);
        Append(turn, 0, 2000);
        turn.SpeechStarted(1000);
        Append(turn, 2000, 3500);
        turn.ServiceCommitted();
        Answer(turn, "resp_1");
        Append(turn, 3500, 6000); // held while the answer is not heard, however long it takes

        var replayed = turn.Restart();

        Assert.Equal(700, replayed.Audio[0]);
        Assert.Equal(5999, replayed.Audio[^1]);
        Assert.Equal(0, replayed.MissingMs);
    }

    [Fact]
    public void AnswerNeverHeard_IsGivenUp_OnceTheTurnIsOlderThanTheLongestKept()
    {
        // Cut unheard by a cough, and nothing asked since: a renewal minutes later must not answer a stale question.
        using var turn = new OpenTurnAudio(Rate, serverDetectsTurns: true, PaddingMs, maxTurn: TimeSpan.FromSeconds(10));
        Append(turn, 0, 2000);
        turn.SpeechStarted(1000);
        turn.ServiceCommitted();
        Answer(turn, "resp_1");
        Append(turn, 2000, 10500);
        Assert.True(turn.TurnOpen); // 9.8 s since the turn began: still kept whole

        Append(turn, 10500, 11000);

        Assert.False(turn.TurnOpen);
        Assert.Empty(turn.Restart().Audio);
    }

    [Fact]
    public void UnheardAnswerFollowedByAnother_BothTurnsCloseWhenTheSecondIsHeard()
    {
        using var turn = new OpenTurnAudio(Rate, serverDetectsTurns: true, PaddingMs);
        Append(turn, 0, 2000);
        turn.SpeechStarted(1000);
        turn.ServiceCommitted();
        Answer(turn, "resp_1"); // cut unheard by the user speaking again
        Append(turn, 2000, 4000);
        turn.SpeechStarted(3000);
        turn.ServiceCommitted();
        Answer(turn, "resp_2");
        Assert.Equal(700, turn.Restart().Audio[0]); // neither heard yet: both turns

        Append(turn, 0, 2000);
        turn.SpeechStarted(500);
        turn.ServiceCommitted();
        Answer(turn, "resp_3");
        turn.Heard("resp_3");
        Assert.Empty(turn.Restart().Audio);
    }

    [Fact]
    public void ResponseCreatedBeforeTheCommit_DoesNotAnswerTheTurn()
    {
        // The user is speaking when a response asked for by this side (a greeting, a tool's answer) is created: the
        // question is still in the service's input buffer, and only the answer after its commit answers it.
        using var turn = new OpenTurnAudio(Rate, serverDetectsTurns: true, PaddingMs);
        Append(turn, 0, 2000);
        turn.SpeechStarted(1500);
        Append(turn, 2000, 3000);
        Answer(turn, "resp_greeting");
        Append(turn, 3000, 4000);

        Assert.True(turn.TurnOpen);
        var replayed = turn.Restart();
        Assert.Equal(1200, replayed.Audio[0]);
        Assert.Equal(3999, replayed.Audio[^1]);
    }

    [Fact]
    public void AnswerSeenByTheReader_ButNotTakenByTheSession_LeavesTheTurnOpen()
    {
        // The session was behind when a renewal came: the old connection's answer was read, then dropped as stale. The
        // user never heard it, so the new connection must be sent the question.
        using var turn = new OpenTurnAudio(Rate, serverDetectsTurns: true, PaddingMs);
        Append(turn, 0, 2000);
        turn.SpeechStarted(1000);
        Append(turn, 2000, 3500);
        turn.ServiceCommitted();
        turn.ResponseSeen("resp_1");

        var replayed = turn.Restart();

        Assert.Equal(700, replayed.Audio[0]);
        Assert.Equal(3499, replayed.Audio[^1]);
        turn.Answered("resp_1"); // too late: an answer of the old connection closes nothing on the new one
        Assert.True(turn.TurnOpen);
    }

    [Fact]
    public void Answer_TakesOnlyTheTurnsCommittedBeforeIt_ALaterTurnStaysOpen()
    {
        using var turn = new OpenTurnAudio(Rate, serverDetectsTurns: true, PaddingMs);
        Append(turn, 0, 2000);
        turn.SpeechStarted(1000);
        Append(turn, 2000, 3000);
        turn.ServiceCommitted();
        turn.ResponseSeen("resp_1");
        Append(turn, 3000, 5000);
        turn.SpeechStarted(4000); // the user speaks again before the session took the first answer
        Append(turn, 5000, 6000);
        turn.Answered("resp_1");
        turn.Heard("resp_1");

        var replayed = turn.Restart();

        Assert.Equal(3700, replayed.Audio[0]);
        Assert.Equal(5999, replayed.Audio[^1]);
    }

    [Fact]
    public void TurnsCommittedAndNotAnswered_AreBoundedInNumber_AndNoneIsLost()
    {
        // A service that commits turns and never answers them (or whose answers the session never takes): the oldest
        // turn reaches through the others, so the replay still begins where the first one did.
        using var turn = new OpenTurnAudio(Rate, serverDetectsTurns: true, PaddingMs, maxTurn: TimeSpan.FromSeconds(100));
        for (var i = 0; i < 40; i++)
        {
            Append(turn, i * 1000, (i * 1000) + 1000);
            turn.SpeechStarted((i * 1000) + 500);
            turn.ServiceCommitted();
        }

        Assert.Equal(200, turn.Restart().Audio[0]);
    }

    [Fact]
    public void ManualTurns_OnceTheAnswerToACommitIsHeard_ReplayWhatWasSentSince()
    {
        using var turn = new OpenTurnAudio(Rate, serverDetectsTurns: false, PaddingMs);
        Append(turn, 0, 2000);
        turn.CommittedHere();
        turn.ServiceCommitted();
        Append(turn, 2000, 3500);
        Answer(turn, "resp_1"); // the answer to the committed turn: the audio since is the next turn
        turn.Heard("resp_1");
        turn.SpeechStarted(0); // no server detection here: ignored

        var replayed = turn.Restart();

        Assert.Equal(2000, replayed.Audio[0]);
        Assert.Equal(1500, replayed.ReplayedMs);
        Assert.Equal(0, replayed.CommittedSamples); // none of it was committed
        Assert.True(turn.TurnOpen);
    }

    [Fact]
    public void ManualTurns_ACommittedTurnWhoseAnswerWasNotHeard_IsReplayed_AndSaidCommitted_AndStaysOpenWhenCommittedAgain()
    {
        // The old connection's input buffer and items are lost with it: the new one is sent the turn, commits it there
        // (the part committed before, so the user's later words stay a turn of their own), and answers it.
        using var turn = new OpenTurnAudio(Rate, serverDetectsTurns: false, PaddingMs);
        Append(turn, 0, 2000);
        turn.CommittedHere();
        turn.ServiceCommitted();
        Append(turn, 2000, 3500);
        Answer(turn, "resp_1"); // cut before a word of it was heard

        var replayed = turn.Restart();

        Assert.Equal(0, replayed.Audio[0]);
        Assert.Equal(3500, replayed.ReplayedMs);
        Assert.Equal(2000, replayed.CommittedSamples);

        // Sent again, and committed again after its committed part: open until the new connection's answer is heard.
        turn.Append(replayed.Audio.AsSpan(0, 2000));
        turn.CommittedHere();
        turn.Append(replayed.Audio.AsSpan(2000));
        var again = turn.Restart();
        Assert.Equal(3500, again.ReplayedMs);
        Assert.Equal(2000, again.CommittedSamples);
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, false)]
    [InlineData(false, true)]
    public void TheUserLeaving_EndsTheirTurns_NoneIsSentToANewConnection(bool serverDetectsTurns, bool localVad)
    {
        using var turn = new OpenTurnAudio(Rate, serverDetectsTurns, PaddingMs, localDetectorOpensTurns: localVad);
        Append(turn, 0, 1000);
        turn.SpeechStarted(0);
        turn.SpeechStartedHere(msBack: 400);
        Append(turn, 1000, 2000);
        turn.ServiceCommitted();
        turn.CommittedHere();
        Answer(turn, "resp_1"); // cut by the user's leaving: never heard
        Assert.True(turn.TurnOpen);

        turn.UserLeft();

        Assert.Empty(turn.Restart().Audio);
    }

    [Fact]
    public void TurnsEndedHere_ACommitTheServiceRefused_GoesWithTheNext_AndItsAnswerClosesBoth()
    {
        // A refused commit leaves its audio in the service's buffer: the next commit takes it too. Its acknowledgement and
        // the answer after it close both turns; none is left to be sent to a new connection and answered again.
        using var turn = new OpenTurnAudio(Rate, serverDetectsTurns: false, PaddingMs);
        Append(turn, 0, 1000);
        turn.CommittedHere();
        turn.CommitRefused(); // input_audio_buffer_commit_empty: never acknowledged
        Append(turn, 1000, 2500);
        turn.CommittedHere();
        turn.ServiceCommitted();
        Answer(turn, "resp_1");

        var saved = turn.Save();
        var unheard = turn.Restart();
        Assert.Equal(0, unheard.Audio[0]); // both turns, from the first
        Assert.Equal(2500, unheard.CommittedSamples);
        turn.Restore(saved);
        turn.Heard("resp_1");
        var replayed = turn.Restart();
        Assert.Empty(replayed.Audio);
        Assert.Equal(0, replayed.CommittedSamples);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TurnsEndedHere_TwoCommitsBeforeTheFirstAcknowledgement_AnAnswerBetweenTheirAcknowledgements_AnswersTheFirstOnly(bool refusedBefore)
    {
        // A new connection commits the turn it was sent again, then the turn owed to it, before its reader reads the
        // first acknowledgement; the response created between the two answers the first turn only. Heard, the second turn
        // is still to be answered: sent to the next connection, and committed there. (A commit refused before them goes
        // with the first.)
        using var turn = new OpenTurnAudio(Rate, serverDetectsTurns: false, PaddingMs);
        if (refusedBefore)
        {
            Append(turn, 0, 500);
            turn.CommittedHere();
            turn.CommitRefused();
        }
        Append(turn, refusedBefore ? 500 : 0, 2000);
        turn.CommittedHere();
        Append(turn, 2000, 3500);
        turn.CommittedHere();
        turn.ServiceCommitted();
        Answer(turn, "resp_1");
        turn.ServiceCommitted();
        turn.Heard("resp_1");

        var replayed = turn.Restart();

        Assert.Equal(2000, replayed.Audio[0]); // the second turn, from its start
        Assert.Equal(1500, replayed.ReplayedMs);
        Assert.Equal(1500 * Rate / 1000, replayed.CommittedSamples);
    }

    [Fact]
    public void LocalVad_ATurnEndedWhileDisconnected_AfterOneCommittedAndUnheard_StaysATurnOfItsOwn_OnTheNewConnection()
    {
        // The first turn was committed and its answer not heard when the connection was lost; the user spoke again and
        // stopped while there was none. The new connection commits the first again, then the second (owed to it); an
        // answer created between the two answers the first only. Heard, the second is still the user's: sent to the
        // next connection and committed there, not taken for silence after a commit.
        using var turn = new OpenTurnAudio(Rate, serverDetectsTurns: false, PaddingMs, localDetectorOpensTurns: true);
        Append(turn, 0, 1000);
        turn.SpeechStartedHere(msBack: 800); // at 200
        Append(turn, 1000, 1500);
        turn.SpeechEndedHere(turnKept: true);
        turn.CommittedHere();
        turn.ServiceCommitted();
        Answer(turn, "resp_1"); // lost with its connection before a word of it was heard
        Append(turn, 1500, 2000);
        turn.SpeechStartedHere(msBack: 300); // at 1700, while disconnected
        Append(turn, 2000, 2600);
        turn.SpeechEndedHere(turnKept: true); // its commit owed to the next connection

        var replayed = turn.Restart();
        Assert.Equal(1300, replayed.CommittedSamples); // the first turn, from 200 to its commit at 1500
        turn.Append(replayed.Audio.AsSpan(0, replayed.CommittedSamples));
        turn.ReplayedPartCommitted();
        turn.Append(replayed.Audio.AsSpan(replayed.CommittedSamples));
        turn.CommittedHere(); // the commit owed
        turn.ServiceCommitted();
        Answer(turn, "resp_2");
        turn.ServiceCommitted();
        turn.Heard("resp_2");

        var next = turn.Restart();
        Assert.Equal(1700, next.Audio[0]); // the second turn (from where the detector put its start), committed
        Assert.Equal(900, next.ReplayedMs);
        Assert.Equal(900, next.CommittedSamples);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void LocalVad_ACommitOfSilence_IsNoTurn_AndItsAcknowledgementNumbersNoLaterTurn(bool refused)
    {
        // The host commits while the user is silent (no speech since the last commit): the service acknowledges that
        // commit (or refuses it), and it carries no turn. The user's next turn is committed after it; a tool's answer
        // created before that turn's own acknowledgement answers nothing of it, heard or not.
        using var turn = new OpenTurnAudio(Rate, serverDetectsTurns: false, PaddingMs, localDetectorOpensTurns: true);
        Append(turn, 0, 1000);
        turn.CommittedHere(); // silence
        if (refused)
        {
            turn.CommitRefused();
        }
        else
        {
            turn.ServiceCommitted();
        }
        Append(turn, 1000, 1500);
        turn.SpeechStartedHere(msBack: 300); // at 1200
        Append(turn, 1500, 2500);
        turn.SpeechEndedHere(turnKept: true);
        turn.CommittedHere();
        Answer(turn, "resp_tool");
        turn.Heard("resp_tool");

        Assert.True(turn.TurnOpen);
        var replayed = turn.Restart();
        Assert.Equal(1200, replayed.Audio[0]);
        Assert.Equal(1300, replayed.CommittedSamples);
    }

    [Fact]
    public void TurnsEndedHere_ACommitOfSilence_BetweenTwoTurns_TakesItsOwnAcknowledgement()
    {
        // Turn A, a commit of silence, then turn B, all sent before any acknowledgement is read. A's answer heard, the
        // second acknowledgement is the silence's: an answer read after it and before B's (a tool's) leaves B open.
        using var turn = new OpenTurnAudio(Rate, serverDetectsTurns: false, PaddingMs, localDetectorOpensTurns: true);
        Append(turn, 0, 200);
        turn.SpeechStartedHere(msBack: 200); // at 0
        Append(turn, 200, 1000);
        turn.SpeechEndedHere(turnKept: true);
        turn.CommittedHere(); // A: 0-1000
        Append(turn, 1000, 1500);
        turn.CommittedHere(); // silence
        Append(turn, 1500, 1700);
        turn.SpeechStartedHere(msBack: 200); // at 1500
        Append(turn, 1700, 2500);
        turn.SpeechEndedHere(turnKept: true);
        turn.CommittedHere(); // B: 1500-2500
        turn.ServiceCommitted();
        Answer(turn, "resp_a");
        turn.Heard("resp_a");
        turn.ServiceCommitted(); // the silence's
        Answer(turn, "resp_tool");
        turn.Heard("resp_tool");

        var replayed = turn.Restart();
        Assert.Equal(1500, replayed.Audio[0]);
        Assert.Equal(1000, replayed.CommittedSamples);
    }

    [Fact]
    public void TurnsEndedHere_MoreCommitsAwaitingAcknowledgementThanTheBound_TheLastAreKeptAsOne_NoneLost()
    {
        // Eighteen turns committed and none acknowledged yet (a stalled reader): beyond the sixteen told apart the last
        // are kept as one, numbered at the last acknowledgement. The answer after the sixteenth answers the fifteen
        // before; the last three turns stay open.
        using var turn = new OpenTurnAudio(Rate, serverDetectsTurns: false, PaddingMs);
        for (var i = 0; i < 18; i++)
        {
            Append(turn, i * 200, (i + 1) * 200);
            turn.CommittedHere();
        }
        for (var i = 0; i < 16; i++)
        {
            turn.ServiceCommitted();
        }
        Answer(turn, "resp_1");
        turn.Heard("resp_1");

        var replayed = turn.Restart();
        Assert.Equal(15 * 200, replayed.Audio[0]);
        Assert.Equal(600, replayed.CommittedSamples);
    }

    [Fact]
    public void TurnsEndedHere_AnAnswerSeenBeforeTheServiceAcknowledgedTheCommit_DoesNotAnswerTheTurn()
    {
        // A tool round's answer, asked for before the user's turn ended, is created between the commit and its
        // acknowledgement: heard, it answers nothing of the user's turn.
        using var turn = new OpenTurnAudio(Rate, serverDetectsTurns: false, PaddingMs);
        Append(turn, 0, 2000);
        turn.CommittedHere();
        Answer(turn, "resp_tool");
        turn.Heard("resp_tool");
        turn.ServiceCommitted();

        Assert.True(turn.TurnOpen);
        Assert.Equal(2000, turn.Restart().CommittedSamples);
    }

    [Fact]
    public void LocalVadTurns_OpenAtTheDetectorsSpeechStart_NotAtTheLastCommit()
    {
        // Audio streams on between turns with local VAD: the silence after a commit is no turn of the user's, and a new
        // connection sent it would take the user for speaking (and an answer cut short by the connection's end would not
        // be continued).
        using var turn = new OpenTurnAudio(Rate, serverDetectsTurns: false, PaddingMs, localDetectorOpensTurns: true);
        Append(turn, 0, 1000);
        turn.CommittedHere();
        Append(turn, 1000, 3000);
        Assert.False(turn.TurnOpen);
        Assert.Empty(turn.Restart().Audio);

        Append(turn, 0, 1500);
        turn.SpeechStartedHere(msBack: 400); // decided 100 ms after it began, and the padding
        Append(turn, 1500, 2000);
        turn.SpeechStartedHere(msBack: 400); // speech again within the same turn: it stays open from where it began
        var replayed = turn.Restart();

        Assert.Equal(1100, replayed.Audio[0]);
        Assert.Equal(900, replayed.ReplayedMs);
        turn.Append(replayed.Audio);
        turn.SpeechEndedHere(turnKept: true);
        turn.CommittedHere();
        Assert.True(turn.TurnOpen); // until its answer is heard
        turn.ServiceCommitted();
        Answer(turn, "resp_1");
        turn.Heard("resp_1");
        Assert.False(turn.TurnOpen);
    }

    [Fact]
    public void LocalVadTurns_ACommitWhileTheUserStillSpeaks_LeavesWhatFollowsAsTheOpenTurn()
    {
        // The host ends the turn mid-speech, or a turn ended while disconnected is committed on the next connection as
        // the user already speaks again: what they go on saying is the next turn, which no new speech start will open.
        using var turn = new OpenTurnAudio(Rate, serverDetectsTurns: false, PaddingMs, localDetectorOpensTurns: true);
        Append(turn, 0, 1000);
        turn.SpeechStartedHere(msBack: 400);
        Append(turn, 1000, 2000);
        turn.CommittedHere();
        turn.ServiceCommitted();
        Append(turn, 2000, 3500);
        Answer(turn, "resp_1");
        turn.Heard("resp_1");

        var replayed = turn.Restart();

        Assert.Equal(2000, replayed.Audio[0]);
        Assert.Equal(1500, replayed.ReplayedMs);
    }

    [Fact]
    public void LocalVadTurns_ATurnTooShortToCommit_IsNoOpenTurn_AndItsSilenceAfterIsNone()
    {
        using var turn = new OpenTurnAudio(Rate, serverDetectsTurns: false, PaddingMs, localDetectorOpensTurns: true);
        Append(turn, 0, 1000);
        turn.SpeechStartedHere(msBack: 400);
        Append(turn, 1000, 1060); // a cough
        turn.SpeechEndedHere(turnKept: true);
        turn.SpeechEndedHere(turnKept: false); // too short to commit
        Append(turn, 1060, 9000);

        Assert.False(turn.TurnOpen);
        Assert.Empty(turn.Restart().Audio);
    }

    /// <summary>Appends the samples of positions <paramref name="from"/> to <paramref name="to"/> (each its own position), in 20 ms chunks.</summary>
    private static void Append(OpenTurnAudio turn, int from, int to)
    {
        for (var at = from; at < to; at += 20)
        {
            var chunk = new short[Math.Min(20, to - at)];
            for (var i = 0; i < chunk.Length; i++)
            {
                chunk[i] = (short)(at + i);
            }
            turn.Append(chunk);
        }
    }

    /// <summary>The connection's reader saw the answer <paramref name="responseId"/> and the session took it.</summary>
    private static void Answer(OpenTurnAudio turn, string responseId)
    {
        turn.ResponseSeen(responseId);
        turn.Answered(responseId);
    }
}
