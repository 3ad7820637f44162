using V2V.Realtime.Client;
using V2V.Voice.Tests.Support;

namespace V2V.Voice.Tests.Connection;

/// <summary>
/// The connection stage on a fake clock against a real loopback peer: backoff with jitter within its bounds, reset
/// only by a healthy connection, one fatal error at the end of the bound or at the first failure no retry can help,
/// and renewal from the service's expires_at.
/// </summary>
public sealed class ConnectionSupervisorTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static RealtimeHandshakeException Overloaded() =>
        new("The realtime endpoint ws://127.0.0.1/v1/realtime refused the WebSocket handshake with HTTP 503.", "ws://127.0.0.1/v1/realtime", 503);

    [Fact]
    public async Task Backoff_GrowsWithJitterWithinItsBounds_ThenGivesUpAfterTheBound_WithOneFatalError()
    {
        await using var rig = await SupervisorRig.StartAsync(o =>
        {
            o.MaxReconnectDelay = TimeSpan.FromSeconds(30);
            o.ReconnectGiveUpAfter = TimeSpan.FromMinutes(2);
        });
        rig.Script = attempt => attempt > 1 ? Overloaded() : null;

        (await rig.LineAsync(0)).End(1011);
        await rig.AdvanceUntilAsync(() => !rig.Owner.Fatal.IsEmpty, "the session to give up", TimeSpan.FromMilliseconds(100));

        var delays = rig.Delays.ToArray();
        Assert.True(delays.Length >= 6, $"only {delays.Length} retries in two minutes");
        Assert.Equal(Enumerable.Range(0, delays.Length), rig.Retries);
        Assert.All(delays, d => Assert.InRange(d, TimeSpan.Zero, TimeSpan.FromSeconds(30)));
        // Polly's exponential backoff with (decorrelated) jitter: one wait may be short, but the time waited before
        // retry k is 2^(k-1) times the base, give or take the jitter (0.68 to 1.43 of it), while the cap is not reached.
        Assert.True(delays[0] < TimeSpan.FromSeconds(1.43), $"first wait {delays[0]}");
        for (var k = 2; k <= 5; k++)
        {
            var waited = delays[..k].Aggregate(TimeSpan.Zero, (a, b) => a + b).TotalSeconds;
            Assert.InRange(waited, 0.68 * Math.Pow(2, k - 1), 1.43 * Math.Pow(2, k - 1));
        }
        Assert.NotEqual([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4)], delays[..3]);

        var fatal = Assert.Single(rig.Owner.Fatal);
        Assert.Contains("Could not reconnect", fatal, StringComparison.Ordinal);
        Assert.Contains("HTTP 503", fatal, StringComparison.Ordinal);
        Assert.Contains($"{rig.AttemptCount - 1} attempts", fatal, StringComparison.Ordinal);
        Assert.Single(rig.Owner.Losses);
        Assert.Empty(rig.Owner.Reconnected);

        var attempts = rig.AttemptCount;
        await rig.AdvanceAsync(TimeSpan.FromMinutes(2), TimeSpan.FromSeconds(1));
        Assert.Equal(attempts, rig.AttemptCount);
        Assert.Single(rig.Owner.Fatal);
    }

    [Fact]
    public async Task ARefusalNoRetryCanFix_IsNotRetried()
    {
        await using var rig = await SupervisorRig.StartAsync();
        rig.Script = attempt => attempt > 1
            ? new RealtimeAuthenticationException("The realtime endpoint refused the credentials (HTTP 401). Check api_key.", "ws://127.0.0.1/v1/realtime", 401)
            : null;

        (await rig.LineAsync(0)).End(1011);
        // The first attempt after a loss needs no clock: it is made at once.
        await SupervisorRig.WaitForAsync(() => !rig.Owner.Fatal.IsEmpty, "the fatal refusal");
        await rig.AdvanceAsync(TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(1));

        Assert.Equal(2, rig.AttemptCount);
        Assert.Contains("refused the credentials", Assert.Single(rig.Owner.Fatal), StringComparison.Ordinal);
        Assert.Empty(rig.Delays);
    }

    [Fact]
    public async Task AFatalErrorBeforeTheClose_EndsTheSession_WithoutAnyReconnectAttempt()
    {
        await using var rig = await SupervisorRig.StartAsync();

        (await rig.LineAsync(0)).End(1011, "billing_hard_limit_reached", "Billing hard limit has been reached.");
        await SupervisorRig.WaitForAsync(() => !rig.Owner.Fatal.IsEmpty, "the fatal end");
        await rig.AdvanceAsync(TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(1));

        Assert.Equal(1, rig.AttemptCount);
        Assert.Contains("billing_hard_limit_reached", Assert.Single(rig.Owner.Fatal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Backoff_KeepsGrowingAcrossConnectionsThatDieYoung_AndResetsOnlyAfterAHealthyOne()
    {
        await using var rig = await SupervisorRig.StartAsync();
        // Attempts 2-7 are refused (the backoff reaches its 4 s cap), 8 connects, 9 is refused, 10 connects, 11 is refused.
        rig.Script = attempt => attempt is (>= 2 and <= 7) or 9 or 11 ? Overloaded() : null;

        (await rig.LineAsync(0)).End(1011);
        await rig.AdvanceUntilAsync(() => rig.Owner.Reconnected.Count == 1, "the first reconnect", TimeSpan.FromMilliseconds(100));
        Assert.Equal([0, 1, 2, 3, 4, 5], rig.Retries);

        // Dies young (well inside the 30 s healthy time): the same outage goes on, its backoff where it was.
        await rig.AdvanceAsync(TimeSpan.FromSeconds(2), TimeSpan.FromMilliseconds(100));
        var before = rig.Delays.Count;
        (await rig.LineAsync(1)).End(1011);
        await SupervisorRig.WaitForAsync(() => rig.Delays.Count > before, "the retry after the young connection's end");
        Assert.Equal(6, rig.Retries.ElementAt(before));
        await rig.AdvanceUntilAsync(() => rig.Owner.Reconnected.Count == 2, "the second reconnect", TimeSpan.FromMilliseconds(100));
        Assert.Equal(7, rig.Retries.Last());

        // Healthy for longer than 30 s: the next loss is a new outage, tried at once and then with a short backoff.
        await rig.AdvanceUntilAsync(() => rig.HealthyConnections == 1, "a healthy connection", TimeSpan.FromSeconds(1));
        Assert.True(rig.Time.GetUtcNow() - SupervisorRig.Start > TimeSpan.FromSeconds(30));
        before = rig.Delays.Count;
        var attempts = rig.AttemptCount;
        (await rig.LineAsync(2)).End(1011);
        await SupervisorRig.WaitForAsync(() => rig.AttemptCount == attempts + 1 && rig.Delays.Count > before, "the attempt at once after a healthy connection");
        Assert.Equal(0, rig.Retries.ElementAt(before));
        Assert.True(rig.Delays.ElementAt(before) < TimeSpan.FromSeconds(1.43), $"backoff after a healthy connection: {rig.Delays.ElementAt(before)}");
        Assert.Empty(rig.Owner.Fatal);
    }

    [Fact]
    public async Task Renewal_FollowsTheServicesExpiresAt_OnTheClock_AndTheOldConnectionsEndIsNoLoss()
    {
        await using var rig = await SupervisorRig.StartAsync(expiresAt: SupervisorRig.Start.AddMinutes(60).ToUnixTimeSeconds());
        await SupervisorRig.WaitForAsync(() => rig.Owner.Events.Contains("session.created"), "session.created");

        // Without expires_at the plan would be 50 minutes; from it, 54 (six minutes before the end).
        await rig.AdvanceAsync(TimeSpan.FromMinutes(53), TimeSpan.FromMinutes(1));
        Assert.Equal(0, rig.Owner.RenewalCalls);
        await rig.AdvanceAsync(TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(10));
        Assert.True(rig.Owner.RenewalCalls >= 1, "the renewal timer did not call at 54 minutes");

        var busy = rig.Supervisor.CheckRenewal(quiet: false, answerComing: false);
        Assert.False(busy.Renew);
        Assert.InRange(busy.NextCheck!.Value, rig.Time.GetUtcNow().AddTicks(1), SupervisorRig.Start.AddMinutes(59));
        Assert.True(rig.Supervisor.CheckRenewal(quiet: true, answerComing: false).Renew);
        var generation = rig.Supervisor.Generation;
        Assert.True(await rig.Supervisor.RenewAsync(Ct));

        Assert.Equal(generation + 1, rig.Supervisor.Generation);
        await rig.LineAsync(1);
        Assert.Equal(2, rig.Peer.Lines.Count);
        Assert.Equal([false, true], rig.Owner.Configured);
        var old = await rig.LineAsync(0);
        await SupervisorRig.WaitForAsync(() => old.ClosedByClient, "the old connection to be closed");
        await rig.AdvanceAsync(TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(1));
        Assert.Empty(rig.Owner.Losses);
        Assert.True(rig.Supervisor.Live is { IsOpen: true });
    }

    [Fact]
    public async Task ARenewalThatFailsCloseToTheEnd_TriesAgainBeforeTheServiceEndsTheSession()
    {
        // A 15 s session: forced at 13.5 s, 1.5 s before its end. The renewal's connection (attempt 2) fails.
        await using var rig = await SupervisorRig.StartAsync(expiresAt: SupervisorRig.Start.AddSeconds(15).ToUnixTimeSeconds());
        rig.Script = attempt => attempt == 2 ? Overloaded() : null;
        await SupervisorRig.WaitForAsync(() => rig.Owner.Events.Contains("session.created"), "session.created");
        await rig.AdvanceAsync(TimeSpan.FromMilliseconds(13_500), TimeSpan.FromMilliseconds(50));

        var forced = rig.Supervisor.CheckRenewal(quiet: false, answerComing: false);
        Assert.True(forced.Renew && forced.Forced);
        Assert.False(await rig.Supervisor.RenewAsync(Ct));
        Assert.True(rig.Supervisor.Live is { IsOpen: true }, "the old connection is kept");
        var callsBefore = rig.Owner.RenewalCalls;

        // The next try is asked for while the session still lives (a fixed 5 s came at 18.5 s, after its end).
        await rig.AdvanceAsync(TimeSpan.FromMilliseconds(1_400), TimeSpan.FromMilliseconds(50));
        Assert.True(rig.Owner.RenewalCalls > callsBefore, $"no renewal look by {rig.Time.GetUtcNow() - SupervisorRig.Start} after the failure");
        Assert.True(rig.Supervisor.CheckRenewal(quiet: false, answerComing: false).Renew);
        Assert.True(await rig.Supervisor.RenewAsync(Ct));
    }

    [Fact]
    public async Task AReconnectedConnectionLost_WhileARenewalReplacesIt_TheSessionGoesOnWithTheRenewedOne_NoneIsLeftOpen()
    {
        await using var rig = await SupervisorRig.StartAsync();
        (await rig.LineAsync(0)).End(1011); // an outage: reconnected at once, then watched for its healthy time
        await SupervisorRig.WaitForAsync(() => rig.Owner.Reconnected.Count == 1, "the reconnect");

        // The reconnected connection drops while the session is busy renewing it: the loss is told, and the renewal
        // makes its new connection the live one before the session takes the loss.
        rig.Owner.HoldLosses = true;
        (await rig.LineAsync(1)).End(1011);
        await SupervisorRig.WaitForAsync(() => rig.Owner.Losses.Count == 2, "the loss told");
        Assert.True(await rig.Supervisor.RenewAsync(Ct));
        rig.Owner.ReleaseLosses();
        await SupervisorRig.WaitForAsync(() => rig.Owner.Reconnected.Count == 2, "the session told it goes on");

        // It goes on, on the renewed connection: no further connection, and the renewed one is not left behind open.
        await rig.AdvanceAsync(TimeSpan.FromSeconds(20), TimeSpan.FromMilliseconds(100));
        Assert.Equal(3, rig.AttemptCount);
        Assert.Equal(3, rig.Peer.Lines.Count);
        Assert.False((await rig.LineAsync(2)).ClosedByClient);
        Assert.True(rig.Supervisor.Live is { IsOpen: true });
        Assert.Empty(rig.Owner.Fatal);
    }

    [Fact]
    public async Task ARenewalLostWhileBeingConfigured_NeverTellsTheSessionANewConnectionWentLive_TheOldOneGoesOn()
    {
        await using var rig = await SupervisorRig.StartAsync(expiresAt: SupervisorRig.Start.AddSeconds(15).ToUnixTimeSeconds());
        await SupervisorRig.WaitForAsync(() => rig.Owner.Events.Contains("session.created"), "session.created");
        Assert.Equal(1, rig.Owner.WentLiveCount);
        var generation = rig.Supervisor.Generation;
        await rig.AdvanceAsync(TimeSpan.FromMilliseconds(13_500), TimeSpan.FromMilliseconds(50));

        // The session's state of the old connection (its answer awaited, its user turn) ends only when one went live.
        rig.Owner.FailNextConfigure = new RealtimeConnectionLostException("The connection to ws://127.0.0.1/v1/realtime was lost while it was being configured.");
        Assert.True(rig.Supervisor.CheckRenewal(quiet: false, answerComing: false).Renew);
        Assert.False(await rig.Supervisor.RenewAsync(Ct));
        Assert.Equal(1, rig.Owner.WentLiveCount);
        Assert.Equal(generation, rig.Supervisor.Generation);
        Assert.True(rig.Supervisor.Live is { IsOpen: true }, "the old connection is kept");

        Assert.True(await rig.Supervisor.RenewAsync(Ct));
        Assert.Equal(2, rig.Owner.WentLiveCount);
        Assert.Equal(generation + 1, rig.Supervisor.Generation);
    }

    [Fact]
    public async Task AFirstConnectionLostWhileBeingConfigured_IsTriedAgain_AsARefusalForNowIs()
    {
        // Attempt 1 connects, and is lost while the session configures it; attempt 2 is left alone.
        await using var rig = await SupervisorRig.StartAsync(script: attempt => attempt == 1
            ? new RealtimeConnectionLostException("The connection to ws://127.0.0.1/v1/realtime was lost while it was being configured.")
            : null);

        Assert.Equal(2, rig.AttemptCount);
        Assert.True(rig.Supervisor.Live is { IsOpen: true }, "the start did not go on to a live connection");
    }
}
