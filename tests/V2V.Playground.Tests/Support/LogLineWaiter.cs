using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace V2V.Playground.Tests.Support;

/// <summary>Keeps every log line, and lets a test wait for the first line that matches, without polling.</summary>
internal sealed class LogLineWaiter : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly List<(Func<string, bool> Match, TaskCompletionSource<string> Found)> _waiting = [];

    public IReadOnlyCollection<string> Lines => _lines;

    /// <summary>The first line, logged before or after this call, for which <paramref name="match"/> holds.</summary>
    public Task<string> WaitAsync(Func<string, bool> match)
    {
        var found = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_waiting)
        {
            _waiting.Add((match, found));
            if (_lines.FirstOrDefault(match) is { } line)
            {
                found.TrySetResult(line);
            }
        }
        return found.Task;
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void Dispose()
    {
    }

    private void Add(string line)
    {
        lock (_waiting)
        {
            _lines.Enqueue(line);
            foreach (var (match, found) in _waiting.Where(w => w.Match(line)))
            {
                found.TrySetResult(line);
            }
        }
    }

    private sealed class Logger(LogLineWaiter owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Add($"{logLevel}: {formatter(state, exception)}");
    }
}
