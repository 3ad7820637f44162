namespace V2V.Voice.Connection;

/// <summary>
/// When a connection is renewed before the service ends its session: from <see cref="QuietFrom"/> at the next quiet
/// moment (nothing asked of the service or coming from it, no user turn open), looking again every <see cref="Recheck"/>;
/// from <see cref="ForcedAt"/> as soon as no answer is coming (a user turn open is sent again to the new connection, an
/// answer that has all come plays on); at <see cref="CutAt"/> even mid-answer. An answer still coming takes seconds at
/// the service's pace: the last half of the time after <see cref="ForcedAt"/> lets it come whole rather than be cut.
/// </summary>
internal readonly record struct RenewalPlan(DateTimeOffset QuietFrom, DateTimeOffset ForcedAt, DateTimeOffset CutAt, TimeSpan Recheck)
{
    /// <summary>How long after reaching the age limit a renewal waits for a quiet moment before it goes ahead anyway.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromMinutes(5);

    /// <summary>The connection age renewed at when the service does not say when its session expires.</summary>
    public static readonly TimeSpan DefaultMaxAge = TimeSpan.FromMinutes(50);

    /// <summary>
    /// The plan of a connection opened at <paramref name="connectedAt"/>: a few minutes before the session's
    /// <paramref name="expiresAt"/> when the service sent it (OpenAI 60 minutes, Azure 30), else at
    /// <paramref name="maxAge"/> (default <see cref="DefaultMaxAge"/>); a configured max age earlier than the expiry wins.
    /// </summary>
    public static RenewalPlan For(DateTimeOffset connectedAt, DateTimeOffset? expiresAt, TimeSpan? maxAge)
    {
        RenewalPlan? fromExpiry = null;
        if (expiresAt is { } expiry && expiry > connectedAt)
        {
            // Minutes ahead for real lifetimes, a proportion of it for short ones (a test's few seconds).
            var lifetime = expiry - connectedAt;
            var forced = expiry - Min(TimeSpan.FromMinutes(1), lifetime / 10);
            var quietFrom = forced - Min(Grace, lifetime / 5);
            fromExpiry = new RenewalPlan(quietFrom, forced, forced + ((expiry - forced) / 2), RecheckFor(quietFrom - connectedAt));
        }
        // The session's end unknown, nothing is waited for after the grace: an answer still coming is cut when forced.
        var age = maxAge ?? DefaultMaxAge;
        RenewalPlan? fromAge = maxAge is not null || fromExpiry is null
            ? new RenewalPlan(connectedAt + age, connectedAt + age + Grace, connectedAt + age + Grace, RecheckFor(age))
            : null;
        return (fromExpiry, fromAge) switch
        {
            ({ } e, { } a) => new RenewalPlan(Min(e.QuietFrom, a.QuietFrom), Min(e.ForcedAt, a.ForcedAt), Min(e.CutAt, a.CutAt), Min(e.Recheck, a.Recheck)),
            ({ } e, null) => e,
            (null, { } a) => a,
            _ => throw new InvalidOperationException("unreachable"),
        };
    }

    /// <summary>
    /// How often a renewal that waits for a quiet moment looks again: every quarter second (a tenth of the age planned
    /// for a test's lifetime of a few seconds, not under 100 ms). A quiet moment in a lively conversation is the gap
    /// between the end of an answer and the user's next words, often under a second: looked for every 30 s, as
    /// before, the five minutes' window missed them in a busy conversation, and the forced renewal cut an answer.
    /// </summary>
    private static TimeSpan RecheckFor(TimeSpan age) =>
        TimeSpan.FromTicks(Math.Clamp(age.Ticks / 10, TimeSpan.FromMilliseconds(100).Ticks, MostBetweenLooks.Ticks));

    /// <summary>The longest wait between two looks for a quiet moment.</summary>
    public static readonly TimeSpan MostBetweenLooks = TimeSpan.FromMilliseconds(250);

    /// <summary>How long a renewal that could not open its new connection waits before it tries again.</summary>
    public static readonly TimeSpan RetryAfterFailure = TimeSpan.FromSeconds(5);

    /// <summary>
    /// When a renewal that failed at <paramref name="now"/> tries again: after <see cref="RetryAfterFailure"/>, but
    /// within a quarter of the time left before the session's <paramref name="expiresAt"/> (not under 100 ms), so that a
    /// failure close to the end still leaves tries before the service ends the session. With a few seconds left (a
    /// short lifetime, a failure late in the window), a fixed 5 s wait came after the end: the session expired.
    /// </summary>
    public static DateTimeOffset NextTryAfterFailure(DateTimeOffset now, DateTimeOffset? expiresAt) => expiresAt is { } expiry
        ? now + TimeSpan.FromTicks(Math.Clamp((expiry - now).Ticks / 4, TimeSpan.FromMilliseconds(100).Ticks, RetryAfterFailure.Ticks))
        : now + RetryAfterFailure;

    /// <summary>
    /// Whether to renew at <paramref name="now"/> (<paramref name="answerComing"/>: an answer is still coming from the
    /// service); if not, when to look again.
    /// </summary>
    public RenewalDecision Decide(DateTimeOffset now, bool quiet, bool answerComing = false)
    {
        if (now < QuietFrom)
        {
            return new RenewalDecision(false, false, QuietFrom);
        }
        if (now >= CutAt || (now >= ForcedAt && !answerComing))
        {
            return new RenewalDecision(true, true, null);
        }
        if (quiet)
        {
            return new RenewalDecision(true, false, null);
        }
        return new RenewalDecision(false, false, Min(now >= ForcedAt ? CutAt : ForcedAt, now + Recheck));
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}

/// <summary>Renew now (<see cref="Forced"/>: even though an answer is in progress), or look again at <see cref="NextCheck"/>.</summary>
internal readonly record struct RenewalDecision(bool Renew, bool Forced, DateTimeOffset? NextCheck);
