using V2V.Voice.Actor;

namespace V2V.Voice.Tests.Actor;

public sealed class TwoLaneMailboxTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ControlIsServedFirst_EventsKeepTheirOrder()
    {
        var mailbox = new TwoLaneMailbox<string>(4, 16);
        foreach (var delta in new[] { "delta 1", "delta 2", "delta 3" })
        {
            Assert.True(await mailbox.PostEventAsync(delta, Ct));
        }
        Assert.True(await mailbox.PostControlAsync("barge-in", Ct));

        var taken = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            taken.Add((await mailbox.TakeAsync(Ct)).Item!);
        }

        Assert.Equal(["barge-in", "delta 1", "delta 2", "delta 3"], taken);
        Assert.True(mailbox.IsEmpty);
    }

    [Fact]
    public async Task AFullLane_MakesItsWriterWait_NothingIsDropped()
    {
        var mailbox = new TwoLaneMailbox<int>(1, 2);
        Assert.True(await mailbox.PostEventAsync(1, Ct));
        Assert.True(await mailbox.PostEventAsync(2, Ct));

        var third = mailbox.PostEventAsync(3, Ct).AsTask();
        Assert.False(third.IsCompleted); // the bound holds: the writer waits
        Assert.Equal(1, (await mailbox.TakeAsync(Ct)).Item);
        Assert.True(await third.WaitAsync(TimeSpan.FromSeconds(30), Ct));

        Assert.Equal(2, (await mailbox.TakeAsync(Ct)).Item);
        Assert.Equal(3, (await mailbox.TakeAsync(Ct)).Item);
    }

    [Fact]
    public async Task Completed_HandsOutWhatWasQueued_ThenSaysDone_AndRefusesMore()
    {
        var mailbox = new TwoLaneMailbox<int>(4, 4);
        await mailbox.PostEventAsync(7, Ct);
        mailbox.Complete();

        Assert.False(await mailbox.PostControlAsync(8, Ct));
        Assert.Equal((false, 7), await mailbox.TakeAsync(Ct));
        Assert.True((await mailbox.TakeAsync(Ct)).Done);
    }
}
