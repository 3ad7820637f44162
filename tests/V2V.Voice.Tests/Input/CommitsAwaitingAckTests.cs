using V2V.Voice.Input;

namespace V2V.Voice.Tests.Input;

/// <summary>Commits sent from this side, taken by their acknowledgements (or refusals) in the order they went.</summary>
public sealed class CommitsAwaitingAckTests
{
    private const long NoTurn = CommitsAwaitingAck.NoTurn;

    [Fact]
    public void Acknowledgements_TakeTheCommitsInOrder_ACommitOfSilenceTakingItsOwn()
    {
        var commits = new CommitsAwaitingAck();
        commits.Add(100);
        commits.Add(NoTurn);
        commits.Add(300);

        Assert.Equal(100, commits.FirstTurn);
        Assert.Equal(100, commits.TakeOldest());
        Assert.Equal(300, commits.FirstTurn); // the silence numbers no turn
        Assert.Equal(NoTurn, commits.TakeOldest());
        Assert.Equal(300, commits.TakeOldest());
        Assert.Equal(0, commits.Count);
        Assert.Null(commits.FirstTurn);
    }

    [Fact]
    public void OverTheBound_TheNewestIsKeptAsOneWithTheLast_AndNumberedAtTheLaterAcknowledgement()
    {
        var commits = new CommitsAwaitingAck();
        for (var i = 0; i < CommitsAwaitingAck.MaxPending; i++)
        {
            commits.Add(i * 100);
        }
        commits.Add(NoTurn); // silence merged into the last turn: it keeps that turn's start
        commits.Add(99_999); // a later turn merged too: the last turn still begins where it began

        Assert.Equal(CommitsAwaitingAck.MaxPending, commits.Count);
        for (var i = 0; i < CommitsAwaitingAck.MaxPending - 1; i++)
        {
            Assert.Equal(i * 100, commits.TakeOldest());
        }
        Assert.Null(commits.TakeOldest()); // the first of the three kept as one: not all acknowledged yet
        Assert.Null(commits.TakeOldest());
        Assert.Equal((CommitsAwaitingAck.MaxPending - 1) * 100, commits.TakeOldest());
        Assert.Equal(0, commits.Count);
    }

    [Fact]
    public void ARefusedCommit_GoesWithTheNext_OrOpensItsTurnAgainWhenNoneFollows()
    {
        var commits = new CommitsAwaitingAck();
        commits.Add(500);
        commits.Add(800);

        Assert.Null(commits.Refused()); // carried by the next commit: that turn now begins where the refused one did
        Assert.Equal(500, commits.FirstTurn);
        Assert.Equal(1, commits.Count);

        Assert.Equal(500, commits.Refused()); // no commit after it: the turn is open again
        Assert.Equal(0, commits.Count);
        Assert.Null(commits.Refused()); // nothing awaits: nothing to refuse
    }

    [Fact]
    public void ARefusedCommitOfSilence_CarriesNoTurn_IntoTheNext()
    {
        var commits = new CommitsAwaitingAck();
        commits.Add(NoTurn);
        commits.Add(NoTurn);

        Assert.Null(commits.Refused());
        Assert.Null(commits.FirstTurn);
        Assert.Equal(NoTurn, commits.TakeOldest());
    }

    [Fact]
    public void ASnapshot_PutBack_IsTheStateItTook()
    {
        var commits = new CommitsAwaitingAck();
        commits.Add(100);
        commits.Add(NoTurn);
        var saved = commits.Snapshot();
        commits.TakeOldest();
        commits.Add(700);

        commits.Restore(saved);

        Assert.Equal(2, commits.Count);
        Assert.Equal(100, commits.TakeOldest());
        Assert.Equal(NoTurn, commits.TakeOldest());
    }
}
