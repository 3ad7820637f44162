using Microsoft.Extensions.Logging;

namespace V2V.Extension;

/// <summary>
/// The voice session's logging, written to the extension's own log: TEN gives an extension one logger (its
/// <c>ten_env.log</c>), so every category of the session and its connection writes there, under the node's name.
/// Without it, the session's reconnects, renewals and the service's refusals were logged nowhere in a graph.
/// </summary>
internal sealed class EnvLoggerFactory(ILogger logger) : ILoggerFactory
{
    public ILogger CreateLogger(string categoryName) => logger;

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }
}
