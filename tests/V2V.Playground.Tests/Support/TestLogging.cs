using Microsoft.Extensions.Logging;

namespace V2V.Playground.Tests.Support;

/// <summary>Server logs in the test's output, so a failure shows what the server saw.</summary>
internal static class TestLogging
{
    public static ILoggerFactory Create() => LoggerFactory.Create(b => b.AddProvider(new OutputProvider()).SetMinimumLevel(LogLevel.Information));

    private sealed class OutputProvider : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new OutputLogger(categoryName);

        public void Dispose()
        {
        }
    }

    private sealed class OutputLogger(string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var output = TestContext.Current.TestOutputHelper;
            try
            {
                output?.WriteLine($"{DateTime.Now:HH:mm:ss.fff} {logLevel} {category}: {formatter(state, exception)}{(exception is null ? "" : " " + exception.Message)}");
            }
            catch (InvalidOperationException)
            {
                // Logged after the test ended: nobody reads it.
            }
        }
    }
}
