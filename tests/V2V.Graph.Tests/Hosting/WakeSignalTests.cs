using V2V.Graph.Hosting;

namespace V2V.Graph.Tests.Hosting;

/// <summary>The writers' wake-up: no wake-up lost, sets while busy collapsed into one, the waiter woken off the setter's thread.</summary>
public sealed class WakeSignalTests
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task ASetBeforeTheWait_ReturnsAtOnce_AndSetsWhileBusyAreOneWakeUp()
    {
        var signal = new WakeSignal();
        signal.Set();
        signal.Set();

        Assert.True(signal.WaitAsync().IsCompleted);
        var next = signal.WaitAsync();
        Assert.False(next.IsCompleted); // the second set went with the first

        signal.Set();
        await next.AsTask().WaitAsync(Guard, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task AWaiter_IsWokenOnAnotherThread_NotInsideTheSet()
    {
        var signal = new WakeSignal();
        using var release = new ManualResetEventSlim();
        var waiting = signal.WaitAsync();
        Assert.False(waiting.IsCompleted);
        var woken = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // Registered before the set, off the test's synchronization context (as a writer loop's await is): the loop's
        // continuation, slow to return.
        await Task.Run(() => waiting.GetAwaiter().UnsafeOnCompleted(() =>
        {
            release.Wait(TimeSpan.FromSeconds(90)); // were it run inside Set, the setter would wait for it
            woken.SetResult();
        }), TestContext.Current.CancellationToken);

        var set = Task.Run(signal.Set, TestContext.Current.CancellationToken);

        await set.WaitAsync(Guard, TestContext.Current.CancellationToken); // returned while the woken loop still runs
        Assert.False(woken.Task.IsCompleted);
        release.Set();
        await woken.Task.WaitAsync(Guard, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task AProducerAndTheLoop_LoseNoWakeUp_OverManyRounds()
    {
        var signal = new WakeSignal();
        var queue = new System.Collections.Concurrent.ConcurrentQueue<int>();
        const int Items = 20_000;
        var consumed = 0;
        var loop = Task.Run(async () =>
        {
            while (consumed < Items)
            {
                if (queue.TryDequeue(out _))
                {
                    consumed++;
                    continue;
                }
                await signal.WaitAsync();
            }
        }, TestContext.Current.CancellationToken);
        var producer = Task.Run(() =>
        {
            for (var i = 0; i < Items; i++)
            {
                queue.Enqueue(i);
                signal.Set();
                if (i % 64 == 0)
                {
                    Thread.Yield();
                }
            }
        }, TestContext.Current.CancellationToken);

        await producer.WaitAsync(Guard, TestContext.Current.CancellationToken);
        await loop.WaitAsync(Guard, TestContext.Current.CancellationToken); // a lost wake-up leaves it waiting with items queued

        Assert.Equal(Items, consumed);
    }
}
