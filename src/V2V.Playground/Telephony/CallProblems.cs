using Microsoft.Extensions.Logging;

namespace V2V.Playground.Telephony;

/// <summary>
/// The bad messages of one call, logged so a broken peer cannot flood the log: the first of each kind, then every
/// hundredth, with the count. At most <see cref="MaxKinds"/> kinds are counted (unknown event names are kinds); beyond,
/// they share one.
/// </summary>
internal sealed partial class CallProblems
{
    public const int MaxKinds = 32;

    private readonly Dictionary<string, long> _counts = new(StringComparer.Ordinal);

    /// <summary>Counts a problem of <paramref name="kind"/> and logs it when due. One reader thread calls this.</summary>
    public void Report(ILogger logger, string call, string kind, string description)
    {
        if (!_counts.ContainsKey(kind) && _counts.Count >= MaxKinds)
        {
            kind = "other";
        }
        var count = _counts[kind] = _counts.GetValueOrDefault(kind) + 1;
        if (count % 100 == 1)
        {
            LogProblem(logger, call, description, count);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {Call}: {Description} ({Count} so far).")]
    private static partial void LogProblem(ILogger logger, string call, string description, long count);
}
