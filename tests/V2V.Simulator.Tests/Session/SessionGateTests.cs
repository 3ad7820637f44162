using Microsoft.Extensions.Logging.Abstractions;
using V2V.Simulator.Responses;
using V2V.Simulator.Session;

namespace V2V.Simulator.Tests.Session;

/// <summary>The session's lock: one holder at a time, in the order they came; nothing of an ended response; no delayed work after the session.</summary>
public sealed class SessionGateTests
{
    [Fact]
    public async Task Holders_RunOneAtATime_InTheOrderTheyCame()
    {
        using var session = new CancellationTokenSource();
        var gate = new SessionGate(NullLogger.Instance, "sess_test", session);
        var release = new TaskCompletionSource();
        var order = new List<string>();

        var first = gate.RunAsync(async () =>
        {
            order.Add("first");
            await release.Task;
        });
        var second = gate.RunAsync(() =>
        {
            order.Add("second");
            return Task.CompletedTask;
        });
        var third = gate.RunAsync(() =>
        {
            order.Add("third");
            return Task.CompletedTask;
        });
        Assert.Equal(["first"], order);

        release.SetResult();
        await Task.WhenAll(first, second, third);

        Assert.Equal(["first", "second", "third"], order);
    }

    [Fact]
    public async Task AStepOfAnEndedResponse_IsNotTaken()
    {
        using var session = new CancellationTokenSource();
        var gate = new SessionGate(NullLogger.Instance, "sess_test", session);
        using var response = new ActiveResponse(session.Token) { Plan = [], Context = [], Modalities = ["audio"] };
        var steps = 0;

        Assert.True(await gate.RunWhileOpenAsync(response, () => Task.FromResult(++steps)));
        response.Finish();
        Assert.False(await gate.RunWhileOpenAsync(response, () => Task.FromResult(++steps)));

        Assert.Equal(1, steps);
    }

    [Fact]
    public async Task DelayedWork_RunsUnderTheGate_AndNotOnceTheSessionHasEnded()
    {
        using var session = new CancellationTokenSource();
        var gate = new SessionGate(NullLogger.Instance, "sess_test", session);
        var ran = new TaskCompletionSource();
        var release = new TaskCompletionSource();
        var holder = gate.RunAsync(() => release.Task);

        gate.RunLater(TimeSpan.Zero, () =>
        {
            ran.SetResult();
            return Task.CompletedTask;
        });
        Assert.False(ran.Task.IsCompleted);   // the holder has the gate
        release.SetResult();
        await holder;
        await ran.Task.WaitAsync(TestContext.Current.CancellationToken);

        await session.CancelAsync();
        var late = false;
        gate.RunLater(TimeSpan.Zero, () =>
        {
            late = true;
            return Task.CompletedTask;
        });
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => gate.RunAsync(() => Task.CompletedTask));
        Assert.False(late);
    }
}
