using Microsoft.Extensions.Time.Testing;
using V2V.Realtime.Protocol;
using V2V.Realtime.Protocol.ClientEvents;
using V2V.Voice.Outputs;
using V2V.Voice.Tests.Support;
using V2V.Voice.Turns;

namespace V2V.Voice.Tests.Turns;

/// <summary>
/// <see cref="UserIdleWatch"/>: where the service does not keep <see cref="VoiceSessionOptions.IdleTimeout"/> (every turn
/// mode but server VAD on GA), the session does. After an answer, the timeout's silence is told and the prompt asked for;
/// anything the user does, an answer on its way, or tools still running for one, hold it.
/// </summary>
public sealed class UserIdleWatchTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(8);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(TurnMode.Manual, RealtimeDialect.GA)]
    [InlineData(TurnMode.SemanticVad, RealtimeDialect.GA)]
    [InlineData(TurnMode.LocalVad, RealtimeDialect.GA)]
    [InlineData(TurnMode.ServerVad, RealtimeDialect.Beta)]
    public async Task AfterAnAnswer_TheTimeoutsSilence_IsTold_AndThePromptAskedFor(TurnMode mode, RealtimeDialect dialect)
    {
        var (rig, time, watch) = Rig(mode, dialect, toolsRunning: () => false);
        Assert.True(watch.Watches);

        watch.AnswerDone();
        await RunWhenDueAsync(rig, time);

        var idle = Assert.Single(rig.TakeOutputs().OfType<UserIdleOutput>());
        Assert.Null(idle.ItemId); // no turn was committed: the session's own timer
        Assert.Equal((1500, 1500 + Timeout.TotalMilliseconds), (idle.SilentFromMs, idle.SilentToMs));
        var prompt = Assert.Single(rig.Sent<ResponseCreateEvent>());
        Assert.Equal(UserIdleWatch.PromptInstructions, prompt.Response?.Instructions);
    }

    [Fact]
    public async Task WhatTheUserDoes_EndsTheSilence_AndToolsStillRunning_HoldIt()
    {
        var running = false;
        var (rig, time, watch) = Rig(TurnMode.SemanticVad, RealtimeDialect.GA, toolsRunning: () => running);

        watch.AnswerDone();
        watch.Disarm(); // the user spoke (or typed, pressed, left), or an answer began
        await RunWhenDueAsync(rig, time);
        running = true;
        watch.AnswerDone(); // a response that called a tool is done; the tool still runs
        await RunWhenDueAsync(rig, time);

        Assert.Empty(rig.TakeOutputs().OfType<UserIdleOutput>());
        Assert.Empty(rig.Sent<ResponseCreateEvent>());
    }

    [Fact]
    public async Task ThePrompt_KeepsTheSessionsInstructions_BeforeIt()
    {
        var (rig, time, watch) = Rig(TurnMode.Manual, RealtimeDialect.GA, toolsRunning: () => false, instructions: "You are Ada, the bakery's assistant.");

        watch.AnswerDone();
        await RunWhenDueAsync(rig, time);

        var prompt = Assert.Single(rig.Sent<ResponseCreateEvent>());
        Assert.Equal($"You are Ada, the bakery's assistant.\n\n{UserIdleWatch.PromptInstructions}", prompt.Response?.Instructions);
    }

    [Fact]
    public void WithServerVadOnGa_TheServiceKeepsIt_AndTheSessionSetsNoTimer()
    {
        var (rig, _, watch) = Rig(TurnMode.ServerVad, RealtimeDialect.GA, toolsRunning: () => false);

        watch.AnswerDone();

        Assert.False(watch.Watches);
        Assert.True(rig.Inbox.IsEmpty);
    }

    private static (StageRig Rig, FakeTimeProvider Time, UserIdleWatch Watch) Rig(TurnMode mode, RealtimeDialect dialect, Func<bool> toolsRunning, string? instructions = null)
    {
        var time = new FakeTimeProvider();
        var rig = new StageRig(o =>
        {
            o.TurnMode = mode;
            o.IdleTimeout = Timeout;
            o.TimeProvider = time;
            o.Connection.Dialect = dialect;
        });
        var stages = new AnswerStages(rig);
        var responses = new ResponseCoordinator(rig.Context, stages.Turns, rig.Inbox);
        return (rig, time, new UserIdleWatch(rig.Context, rig.Inbox, stages.Voice, stages.Turns, responses, () => 1500, toolsRunning, () => instructions));
    }

    // The timer starts on the pool (PostAfter): the clock is moved on until its work has been posted, which then runs.
    private static async Task RunWhenDueAsync(StageRig rig, FakeTimeProvider time)
    {
        var posted = rig.RunNextPostedAsync();
        while (!posted.IsCompleted)
        {
            time.Advance(Timeout);
            await Task.WhenAny(posted, Task.Delay(10, Ct));
        }
        await posted;
    }
}
