using V2V.Voice.Connection;

namespace V2V.Voice.Tests.Connection;

/// <summary>When a connection is renewed: a few minutes before the service's expires_at, else at the configured age.</summary>
public sealed class RenewalPlanTests
{
    private static readonly DateTimeOffset Opened = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(60, 54, 59)] // OpenAI
    [InlineData(30, 24, 29)] // Azure
    public void FromExpiresAt_RenewsAFewMinutesBefore_ForcedJustBefore(int lifetimeMinutes, int quietFromMinute, int forcedAtMinute)
    {
        var plan = RenewalPlan.For(Opened, Opened.AddMinutes(lifetimeMinutes), maxAge: null);

        Assert.Equal(Opened.AddMinutes(quietFromMinute), plan.QuietFrom);
        Assert.Equal(Opened.AddMinutes(forcedAtMinute), plan.ForcedAt);
    }

    [Fact]
    public void AShortLifetime_IsPlannedInProportion_BeforeItsEnd()
    {
        var plan = RenewalPlan.For(Opened, Opened.AddSeconds(10), maxAge: null);

        Assert.Equal(Opened.AddSeconds(9), plan.ForcedAt);
        Assert.Equal(Opened.AddSeconds(7), plan.QuietFrom);
    }

    [Fact]
    public void WithoutExpiresAt_TheConfiguredAge_ElseFiftyMinutes()
    {
        Assert.Equal(Opened.AddMinutes(20), RenewalPlan.For(Opened, null, TimeSpan.FromMinutes(20)).QuietFrom);
        Assert.Equal(Opened.AddMinutes(25), RenewalPlan.For(Opened, null, TimeSpan.FromMinutes(20)).ForcedAt);
        Assert.Equal(Opened.AddMinutes(50), RenewalPlan.For(Opened, null, null).QuietFrom);
    }

    [Fact]
    public void AConfiguredAgeEarlierThanTheExpiry_Wins_AndALaterOneDoesNot()
    {
        Assert.Equal(Opened.AddMinutes(10), RenewalPlan.For(Opened, Opened.AddMinutes(60), TimeSpan.FromMinutes(10)).QuietFrom);
        Assert.Equal(Opened.AddMinutes(54), RenewalPlan.For(Opened, Opened.AddMinutes(60), TimeSpan.FromMinutes(58)).QuietFrom);
        Assert.Equal(Opened.AddMinutes(59), RenewalPlan.For(Opened, Opened.AddMinutes(60), TimeSpan.FromMinutes(58)).ForcedAt);
    }

    [Fact]
    public void Decide_WaitsForTheWindow_ThenAQuietMoment_ThenGoesAheadAnyway()
    {
        var plan = RenewalPlan.For(Opened, Opened.AddMinutes(60), maxAge: null);

        var early = plan.Decide(Opened.AddMinutes(30), quiet: true);
        Assert.False(early.Renew);
        Assert.Equal(plan.QuietFrom, early.NextCheck);

        var busy = plan.Decide(Opened.AddMinutes(55), quiet: false);
        Assert.False(busy.Renew);
        // Looked for again within a quarter second: the gap between an answer and the user's next words is short.
        Assert.InRange(busy.NextCheck!.Value, Opened.AddMinutes(55).AddTicks(1), Opened.AddMinutes(55) + RenewalPlan.MostBetweenLooks);

        var quiet = plan.Decide(Opened.AddMinutes(55), quiet: true);
        Assert.True(quiet.Renew);
        Assert.False(quiet.Forced);

        var late = plan.Decide(plan.ForcedAt, quiet: false);
        Assert.True(late.Renew);
        Assert.True(late.Forced);
    }

    [Theory]
    [InlineData(60 * 60, 59 * 60, 59 * 60 + 30)] // OpenAI: forced at minute 59, an answer coming cut at 59.5
    [InlineData(10, 9, 9.5)] // a test's 10 s lifetime, in proportion
    public void PastTheForcedTime_AnAnswerStillComingIsWaitedFor_UntilHalfOfWhatIsLeft(double lifetimeSeconds, double forcedAtSecond, double cutAtSecond)
    {
        var plan = RenewalPlan.For(Opened, Opened.AddSeconds(lifetimeSeconds), maxAge: null);
        Assert.Equal(Opened.AddSeconds(forcedAtSecond), plan.ForcedAt);
        Assert.Equal(Opened.AddSeconds(cutAtSecond), plan.CutAt);

        // Before the forced time an answer coming is no quiet moment; at it, nothing coming is enough (a user turn open
        // is sent again); an answer coming is looked at again, by the cut time at the latest; at the cut time it is cut.
        Assert.False(plan.Decide(plan.ForcedAt.AddTicks(-1), quiet: false).Renew);
        Assert.Equal((true, true), Renews(plan.Decide(plan.ForcedAt, quiet: false, answerComing: false)));
        var waiting = plan.Decide(plan.ForcedAt, quiet: false, answerComing: true);
        Assert.False(waiting.Renew);
        Assert.InRange(waiting.NextCheck!.Value, plan.ForcedAt.AddTicks(1), plan.CutAt);
        Assert.Equal((true, true), Renews(plan.Decide(plan.CutAt, quiet: false, answerComing: true)));
    }

    [Fact]
    public void WithoutExpiresAt_NothingIsWaitedForAfterTheForcedTime()
    {
        var plan = RenewalPlan.For(Opened, null, TimeSpan.FromMinutes(20));

        Assert.Equal(plan.ForcedAt, plan.CutAt);
        Assert.True(plan.Decide(plan.ForcedAt, quiet: false, answerComing: true).Renew);
    }

    private static (bool Renew, bool Forced) Renews(RenewalDecision decision) => (decision.Renew, decision.Forced);

    [Fact]
    public void AFailedRenewal_TriesAgainInFiveSeconds_OrSoonerWhenTheSessionEndsSooner()
    {
        var expiry = Opened.AddMinutes(60);

        // A minute before the end (a forced renewal that failed): 5 s, a dozen tries left.
        Assert.Equal(expiry.AddSeconds(-55), RenewalPlan.NextTryAfterFailure(expiry.AddSeconds(-60), expiry));
        // 1.5 s before the end (a short lifetime's forced renewal): a quarter of what is left, before the end.
        Assert.Equal(expiry.AddMilliseconds(-1125), RenewalPlan.NextTryAfterFailure(expiry.AddMilliseconds(-1500), expiry));
        // Never sooner than 100 ms; without an expiry, 5 s.
        Assert.Equal(expiry.AddMilliseconds(100), RenewalPlan.NextTryAfterFailure(expiry, expiry));
        Assert.Equal(Opened.AddSeconds(5), RenewalPlan.NextTryAfterFailure(Opened, null));
    }
}
