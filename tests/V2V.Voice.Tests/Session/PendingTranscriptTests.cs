using Microsoft.Extensions.Time.Testing;
using V2V.Testing;
using V2V.Voice.Outputs;
using V2V.Voice.Tests.Support;

namespace V2V.Voice.Tests.Session;

/// <summary>
/// A spoken turn's transcript is said to be pending from its commit, and said not to come when the connection that owed
/// it is replaced: a host holding later turns behind it (storage in the conversation's order) is not left waiting.
/// </summary>
public sealed class PendingTranscriptTests
{
    [Fact]
    public async Task ATranscriptOwedByAReplacedConnection_IsSaidNotToCome_BeforeTheNewConnectionIsTold()
    {
        var ct = TestContext.Current.CancellationToken;
        // The session's clock is fake (its renewal comes when the test says); the server's is real and transcribes late.
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var harness = await SessionHarness.StartAsync(o =>
        {
            o.AudioOut = false;
            o.InputTranscript = true;
            o.TimeProvider = clock;
            o.MaxConnectionAge = TimeSpan.FromMinutes(1);
        }, s =>
        {
            s.SpeedFactor = 1;
            s.TranscriptionDelay = TimeSpan.FromSeconds(30);
        });

        await harness.SendAsync(Speech.Pcm16("What is the weather in Paris today?", 16000, 1), 16000, 1);
        var pending = Assert.Single((await harness.WaitForAsync(o => o.OfType<UserTranscriptPendingOutput>().Any(), "the turn's commit")).OfType<UserTranscriptPendingOutput>());
        Assert.True(pending.Pending);

        clock.Advance(TimeSpan.FromMinutes(7)); // past the connection's age and the five minutes a renewal may wait for quiet
        var outputs = (await harness.WaitForAsync(o => o.OfType<StateOutput>().Count(s => s.State == VoiceSessionState.Connected) >= 2, "the renewed connection")).ToList();

        var notComing = outputs.FindIndex(o => o is UserTranscriptPendingOutput { Pending: false } p && p.ItemId == pending.ItemId);
        Assert.True(notComing >= 0, "the owed transcript was said not to come");
        Assert.True(notComing < outputs.FindLastIndex(o => o is StateOutput { State: VoiceSessionState.Connected }), "before the new connection was told");
        Assert.DoesNotContain(outputs, o => o is TranscriptOutput { Role: TranscriptRole.User });
    }

    [Fact]
    public async Task MoreTurnsAwaitingTheirWordsThanTheBound_TheOldestIsSaidNotToCome()
    {
        var ct = TestContext.Current.CancellationToken;
        // Manual turns, each committed at once; the server transcribes each 30 s after its commit (real time).
        await using var harness = await SessionHarness.StartAsync(o =>
        {
            o.AudioOut = false;
            o.InputTranscript = true;
            o.TurnMode = TurnMode.Manual;
        }, s =>
        {
            s.SpeedFactor = 1;
            s.TranscriptionDelay = TimeSpan.FromSeconds(30);
        });
        var turn = Speech.Pcm16("Yes.", 16000, 1, leadingSilenceMs: 0, trailingSilenceMs: 0);

        for (var i = 0; i <= V2V.Voice.Turns.TurnTracker.MaxTranscriptsAwaited; i++)
        {
            await harness.SendAsync(turn, 16000, 1);
            Assert.True(await harness.Session.EndTurnAsync(ct));
            var said = i + 1;
            await harness.WaitForAsync(o => o.OfType<UserTranscriptPendingOutput>().Count(p => p.Pending) == said, $"turn {said} said pending");
        }

        var outputs = await harness.WaitForAsync(o => o.OfType<UserTranscriptPendingOutput>().Any(p => !p.Pending), "the oldest given up");
        var pending = outputs.OfType<UserTranscriptPendingOutput>().ToList();
        Assert.Equal(pending.First(p => p.Pending).ItemId, Assert.Single(pending, p => !p.Pending).ItemId);
        Assert.DoesNotContain(outputs, o => o is TranscriptOutput { Role: TranscriptRole.User });
    }
}
