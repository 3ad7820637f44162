namespace V2V.Voice.Turns;

/// <summary>
/// When an answer that failed at the service is asked for again: a server error at once (a second later), a rate limit
/// after the wait the service asks for when it is short enough for a listener to still want the answer; never twice for
/// the same turn of the user (the next failure is only reported), and nothing that no retry can mend. Owns the turn
/// last retried. Socket-free: the coordinator asks it, and asks the service.
/// </summary>
internal sealed class FailedAnswerRetry
{
    /// <summary>The wait before a server error's answer is asked again.</summary>
    public static readonly TimeSpan ServerErrorWait = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait a rate limit may ask for and still be waited out: longer, the user has moved on.</summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(15);

    private int? _retriedAtMove;

    /// <summary>
    /// The wait before asking again for the answer that failed with <paramref name="code"/> (the service's
    /// <paramref name="retryAfter"/> for a rate limit), with the user's turns counted as <paramref name="userMoves"/>;
    /// null when it is not asked again.
    /// </summary>
    public TimeSpan? WaitBeforeRetry(string? code, TimeSpan? retryAfter, int userMoves)
    {
        TimeSpan? wait = code switch
        {
            "server_error" => ServerErrorWait,
            "rate_limit_exceeded" => retryAfter ?? ServerErrorWait,
            _ => null,
        };
        if (wait is not { } w || w > MaxWait || _retriedAtMove == userMoves)
        {
            return null;
        }
        _retriedAtMove = userMoves;
        return w;
    }
}
