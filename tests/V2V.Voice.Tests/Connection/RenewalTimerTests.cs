using Microsoft.Extensions.Time.Testing;
using V2V.Voice.Connection;

namespace V2V.Voice.Tests.Connection;

/// <summary>The renewal's one timer: the earliest look asked for and not yet made wins, on a fake clock.</summary>
public sealed class RenewalTimerTests
{
    [Fact]
    public void ALaterLookAskedFromAStalePlan_DoesNotPushBackOneDueEarlier()
    {
        // Just after a reconnect: the reader learns the session's expires_at (10 s) and plans a look 7 s in; the actor, from
        // a plan it read before that expires_at came, asks for one at the default age of 50 minutes, a moment later.
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 4, 12, 0, 0, TimeSpan.Zero));
        var looks = 0;
        using var timer = new RenewalTimer(time, () => looks++);
        var start = time.GetUtcNow();

        timer.Replan(start.AddSeconds(7));
        timer.Arm(start.AddMinutes(50));

        Assert.Equal(start.AddSeconds(7), timer.PendingAt);
        time.Advance(TimeSpan.FromSeconds(7));
        Assert.Equal(1, looks); // with the last call winning, none came before the service ended the session at 10 s
    }

    [Fact]
    public void AnEarlierLook_ReplacesALaterOne_AndOnceALookIsMade_TheNextIsArmedHoweverLate()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 4, 12, 0, 0, TimeSpan.Zero));
        var looks = 0;
        using var timer = new RenewalTimer(time, () => looks++);
        var start = time.GetUtcNow();

        timer.Arm(start.AddMinutes(50)); // the default age, before the expiry is known
        timer.Arm(start.AddSeconds(7)); // an earlier look
        time.Advance(TimeSpan.FromSeconds(7));
        Assert.Equal(1, looks);
        Assert.Null(timer.PendingAt);

        timer.Arm(start.AddSeconds(30)); // the look found an answer in progress: look again later
        time.Advance(TimeSpan.FromSeconds(23));
        Assert.Equal(2, looks);
        time.Advance(TimeSpan.FromMinutes(60));
        Assert.Equal(2, looks); // the replaced 50 minutes' look never comes
    }

    [Fact]
    public void ANewPlan_ReplacesTheLookPending_EvenAnEarlierOne()
    {
        // A connection live with the default age (50 minutes), then its expires_at told: 54 minutes (OpenAI's 60). The
        // plan of the expiry is the one to keep; an early look at 50 minutes would only look again, but need not come.
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 4, 12, 0, 0, TimeSpan.Zero));
        var looks = 0;
        using var timer = new RenewalTimer(time, () => looks++);
        var start = time.GetUtcNow();

        timer.Replan(start.AddMinutes(50));
        timer.Replan(start.AddMinutes(54));
        timer.Arm(start.AddMinutes(55)); // a stale look asked for after it: the plan's stays

        Assert.Equal(start.AddMinutes(54), timer.PendingAt);
        time.Advance(TimeSpan.FromMinutes(53));
        Assert.Equal(0, looks);
        time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, looks);
    }

    [Fact]
    public void Disposed_ItNeitherLooksNorArms()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 4, 12, 0, 0, TimeSpan.Zero));
        var looks = 0;
        var timer = new RenewalTimer(time, () => looks++);
        timer.Arm(time.GetUtcNow().AddSeconds(1));

        timer.Dispose();
        timer.Arm(time.GetUtcNow().AddSeconds(2));
        time.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal(0, looks);
        Assert.Null(timer.PendingAt);
    }
}
