using System.Buffers;
using V2V.Realtime.Client;

namespace V2V.Realtime.Tests.Client;

/// <summary>The send queue's rule, without a socket: control events ahead of queued audio, commit and clear never ahead of the audio before them.</summary>
public sealed class OutboundLanesTests
{
    [Fact]
    public void ControlEvents_GoAheadOfQueuedAppends_InTheirOwnOrder()
    {
        var lanes = new OutboundLanes(capacity: 8);
        Add(lanes, "a1", OutboundKind.Audio);
        Add(lanes, "a2", OutboundKind.Audio);
        Add(lanes, "cancel", OutboundKind.Control);
        Add(lanes, "a3", OutboundKind.Audio);
        Add(lanes, "truncate", OutboundKind.Control);

        Assert.Equal(["cancel", "truncate", "a1", "a2", "a3"], TakeAll(lanes));
    }

    [Fact]
    public void Commit_WaitsForTheAppendsBeforeIt_AndWhatFollowsTheCommitWaitsForIt()
    {
        var lanes = new OutboundLanes(capacity: 8);
        Add(lanes, "a1", OutboundKind.Audio);
        Add(lanes, "cancel", OutboundKind.Control);
        Add(lanes, "a2", OutboundKind.Audio);
        Add(lanes, "commit", OutboundKind.AudioBarrier);
        Add(lanes, "a3", OutboundKind.Audio);
        Add(lanes, "response.create", OutboundKind.Control);
        Add(lanes, "a4", OutboundKind.Audio);
        Add(lanes, "clear", OutboundKind.AudioBarrier);

        // The cancel passes a1 and a2; the commit does not; response.create comes after the commit but passes a3;
        // the clear waits for a3 and a4.
        Assert.Equal(["cancel", "a1", "a2", "commit", "response.create", "a3", "a4", "clear"], TakeAll(lanes));
    }

    [Fact]
    public void EachLane_IsBounded_AndAFullLaneDoesNotBlockTheOther()
    {
        var lanes = new OutboundLanes(capacity: 2);
        Assert.True(Add(lanes, "a1", OutboundKind.Audio));
        Assert.True(Add(lanes, "a2", OutboundKind.Audio));
        Assert.False(Add(lanes, "a3", OutboundKind.Audio));
        Assert.True(Add(lanes, "cancel", OutboundKind.Control));
        Assert.True(Add(lanes, "truncate", OutboundKind.Control));
        Assert.False(Add(lanes, "create", OutboundKind.Control));

        Assert.Equal(["cancel", "truncate", "a1", "a2"], TakeAll(lanes));
    }

    [Fact]
    public async Task AFullLane_MakesTheSenderWait_UntilTheWriterTakesOne()
    {
        var lanes = new OutboundLanes(capacity: 1);
        Add(lanes, "a1", OutboundKind.Audio);
        var waiting = lanes.AddAsync(Message("a2", OutboundKind.Audio), TestContext.Current.CancellationToken).AsTask();
        Assert.False(waiting.IsCompleted);

        Assert.True(lanes.TryWait());
        Assert.True(lanes.TryTake(out var first));
        first.Return();
        await waiting.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        Assert.Equal(["a2"], TakeAll(lanes));
    }

    [Fact]
    public async Task IsEmpty_OnlyWhenNoMessageIsQueuedOrWaitingForRoom()
    {
        // The caller's fast path writes to the socket only when the lanes are empty: a message still waiting for room
        // in a full lane counts, or an append written on the fast path would overtake it.
        var lanes = new OutboundLanes(capacity: 1);
        Assert.True(lanes.IsEmpty);
        Add(lanes, "a1", OutboundKind.Audio);
        Assert.False(lanes.IsEmpty);
        Assert.False(Add(lanes, "a2", OutboundKind.Audio)); // refused: not counted
        var waiting = lanes.AddAsync(Message("a3", OutboundKind.Audio), TestContext.Current.CancellationToken).AsTask();

        Assert.True(lanes.TryWait());
        Assert.True(lanes.TryTake(out var first));
        first.Return();
        await waiting.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        Assert.False(lanes.IsEmpty); // a3, now in the lane

        using var cancelled = new CancellationTokenSource();
        var gaveUp = lanes.AddAsync(Message("a4", OutboundKind.Audio), cancelled.Token).AsTask();
        Assert.False(lanes.IsEmpty);
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => gaveUp);

        Assert.Equal(["a3"], TakeAll(lanes));
        Assert.True(lanes.IsEmpty); // the cancelled add is not counted either
    }

    [Fact]
    public void Complete_RefusesNewMessages_AndWakesTheWriterWithNothingToTake()
    {
        var lanes = new OutboundLanes(capacity: 4);
        Add(lanes, "a1", OutboundKind.Audio);
        lanes.Complete();

        Assert.False(Add(lanes, "cancel", OutboundKind.Control));
        Assert.True(lanes.TryWait());
        Assert.True(lanes.TryTake(out var queued));
        Assert.Equal("a1", queued.Type);
        queued.Return();
        Assert.True(lanes.TryWait()); // the completion's entry: the writer stops
        Assert.False(lanes.TryTake(out _));
        Assert.False(lanes.TryWait());
    }

    private static bool Add(OutboundLanes lanes, string name, OutboundKind kind)
    {
        var message = Message(name, kind);
        if (lanes.TryAdd(message))
        {
            return true;
        }
        message.Return();
        return false;
    }

    private static OutboundMessage Message(string name, OutboundKind kind) => new(ArrayPool<byte>.Shared.Rent(16), 0, name, kind);

    // As the writer takes: one message per counted entry.
    private static List<string> TakeAll(OutboundLanes lanes)
    {
        var taken = new List<string>();
        while (lanes.TryWait() && lanes.TryTake(out var message))
        {
            taken.Add(message.Type);
            message.Return();
        }
        return taken;
    }
}
