using Microsoft.Extensions.Logging;

namespace V2V.Playground.Tests.Support;

/// <summary>Server logs in the test's output, so a failure shows what the server saw.</summary>
internal static class TestLogging
{
    /// <summary>
    /// Loggers that write to the output of the test that creates them. The helper is taken now, not at each log call:
    /// Kestrel runs each connection without the test's async context (TestContext.Current is then no test), so the
    /// browser sessions' logs, the ones a failure needs, were lost.
    /// </summary>
    public static ILoggerFactory Create()
    {
        var output = TestContext.Current.TestOutputHelper;
        return LoggerFactory.Create(b => b.AddProvider(new OutputProvider(output)).SetMinimumLevel(LogLevel.Information));
    }

    private sealed class OutputProvider(ITestOutputHelper? output) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new OutputLogger(output, categoryName);

        public void Dispose()
        {
        }
    }

    private sealed class OutputLogger(ITestOutputHelper? output, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
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
