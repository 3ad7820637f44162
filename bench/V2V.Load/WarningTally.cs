using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace V2V.Load;

/// <summary>
/// The sessions' warnings and errors, counted by their message template, with the first one of each written out
/// in full (which session, when): a run's faults named by what the session itself said about them. Each session's
/// last <see cref="KeptLines"/> lines at Information (or the level asked for) and above are kept too, to be printed for a session that went wrong.
/// </summary>
/// <param name="keptLines">The lines kept per session (older ones are dropped).</param>
/// <param name="keptLevel">The lowest level of the lines kept (Debug: the session's every decision, for a harness that prints few sessions).</param>
/// <param name="onLine">Also shown each line kept, with its session (for a harness's own timeline of a session).</param>
internal sealed class WarningTally(int keptLines = WarningTally.KeptLines, LogLevel keptLevel = LogLevel.Information, Action<int, string>? onLine = null)
{
    /// <summary>The lines kept per session by default: enough to see a renewal or reconnect through.</summary>
    public const int KeptLines = 40;

    private readonly ConcurrentDictionary<int, Queue<string>> _recent = new();
    private readonly ConcurrentDictionary<int, string[]> _atFirstServerError = new();

    private readonly ConcurrentDictionary<string, (int Count, string First, string When)> _byTemplate = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly ConcurrentDictionary<int, string> _lastBySession = new();

    /// <summary>The last warning or error <paramref name="session"/> logged, with its time; null if none.</summary>
    public string? LastOf(int session) => _lastBySession.GetValueOrDefault(session);

    /// <summary>A logger factory for one session, its warnings tallied here under <paramref name="session"/>.</summary>
    public ILoggerFactory For(int session) => new Factory(this, session);

    private LogLevel KeptLevel => keptLevel;

    private Action<int, string>? OnLine => onLine;

    // The realtime client's "Sent {Type} {EventId} ({Bytes} bytes)" (RealtimeLog).
    private const int SentEventId = 4;

    /// <summary>The last lines <paramref name="session"/> logged (the kept level and above), oldest first.</summary>
    public IReadOnlyList<string> RecentOf(int session)
    {
        if (!_recent.TryGetValue(session, out var lines))
        {
            return [];
        }
        lock (lines)
        {
            return [.. lines];
        }
    }

    /// <summary>Writes a session's lines (from <see cref="RecentOf"/> or <see cref="AtFirstServerErrorOf"/>), indented under the heading before them.</summary>
    public static void Print(IEnumerable<string> lines)
    {
        foreach (var line in lines)
        {
            Console.WriteLine("    " + line);
        }
    }

    /// <summary>A line of the harness's own among <paramref name="session"/>'s (what it did, for reading the session's lines against).</summary>
    public void Note(int session, string message) => Keep(session, LogLevel.Information, message);

    /// <summary>The lines <paramref name="session"/> had logged when the service first sent it an error event (null: none came).</summary>
    public IReadOnlyList<string>? AtFirstServerErrorOf(int session) => _atFirstServerError.GetValueOrDefault(session);

    public IEnumerable<string> Lines() => _byTemplate.OrderByDescending(p => p.Value.Count)
        .Select(p => $"  x{p.Value.Count}: {p.Key}\n      first: {p.Value.First}\n      when (s, session): {p.Value.When}");

    private void Keep(int session, LogLevel level, string message)
    {
        onLine?.Invoke(session, $"{level}: {message}");
        var lines = _recent.GetOrAdd(session, _ => new Queue<string>());
        lock (lines)
        {
            lines.Enqueue($"{_clock.Elapsed.TotalSeconds:F2} s {level}: {message}");
            if (lines.Count > keptLines)
            {
                lines.Dequeue();
            }
            if (level >= LogLevel.Warning && message.StartsWith("Server error", StringComparison.Ordinal))
            {
                _atFirstServerError.TryAdd(session, [.. lines]);
            }
        }
    }

    private void Add(int session, string template, string message)
    {
        var at = _clock.Elapsed.TotalSeconds;
        _lastBySession[session] = $"at {at:F1} s: {message}";
        _byTemplate.AddOrUpdate(template,
            _ => (1, $"session {session} at {at:F1} s: {message}", $"{at:F1} #{session}"),
            // The moments of the first dozen: whether a fault comes in a burst (every session at one moment) or spread.
            (_, v) => (v.Count + 1, v.First, v.Count < 12 ? $"{v.When}, {at:F1} #{session}" : v.Count == 12 ? v.When + ", ..." : v.When));
    }

    private sealed class Factory(WarningTally tally, int session) : ILoggerFactory
    {
        public ILogger CreateLogger(string categoryName) => new Logger(tally, session);

        public void AddProvider(ILoggerProvider provider)
        {
        }

        public void Dispose()
        {
        }
    }

    private sealed class Logger(WarningTally tally, int session) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        // With onLine, the realtime client's Trace lines are enabled too, for the client events it sent (appends aside).
        public bool IsEnabled(LogLevel logLevel) => logLevel >= tally.KeptLevel || tally.OnLine is not null;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel < tally.KeptLevel)
            {
                if (tally.OnLine is { } sent && eventId.Id == SentEventId && state is IReadOnlyList<KeyValuePair<string, object?>> fields
                    && fields.FirstOrDefault(f => f.Key == "Type").Value is string type && type != "input_audio_buffer.append")
                {
                    sent(session, "sent " + type);
                }
                return;
            }
            var message = formatter(state, exception);
            tally.Keep(session, logLevel, message);
            if (logLevel < LogLevel.Warning)
            {
                return;
            }
            var template = state is IReadOnlyList<KeyValuePair<string, object?>> pairs
                ? pairs.FirstOrDefault(p => p.Key == "{OriginalFormat}").Value as string
                : null;
            tally.Add(session, template ?? message, message);
        }
    }
}
