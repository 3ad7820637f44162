using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace V2V.Graph.Hosting;

/// <summary>Settings of a <see cref="GraphHost"/>.</summary>
public sealed class GraphHostOptions
{
    /// <summary>
    /// The bound of each extension's message queue (data and audio frames). When it is full, a sender waits
    /// (back-pressure: <see cref="System.Threading.Channels.BoundedChannelFullMode.Wait"/>), so nothing is lost and a slow
    /// extension slows its producers; each wait is counted in <see cref="ExtensionStatistics.BackPressureWaits"/>.
    /// Commands have their own unbounded queue, handled first, and are never dropped. Default 100 (one second of 10 ms frames).
    /// </summary>
    public int MessageQueueCapacity { get; set; } = 100;

    /// <summary>Loggers: each extension logs under its instance name, the host under <c>V2V.Graph</c>.</summary>
    public ILoggerFactory LoggerFactory { get; set; } = NullLoggerFactory.Instance;

    /// <summary>Resolves <c>${env:NAME}</c> in properties; null: the process environment.</summary>
    public Func<string, string?>? Environment { get; set; }

    /// <summary>
    /// Nodes whose addon is replaced before validation, node name to addon name (the CLI's <c>--bind NODE=ADDON</c>):
    /// e.g. TEN's <c>agora_rtc</c> node bound to <c>wav_file_source</c>. The node keeps its name and connections; of its
    /// graph properties only those the new addon declares are kept (see <see cref="Validation.NodeBinder"/>).
    /// </summary>
    public IDictionary<string, string> Bindings { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>The clock of idle detection.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    internal void Validate()
    {
        if (MessageQueueCapacity < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MessageQueueCapacity), MessageQueueCapacity, "MessageQueueCapacity must be at least 1.");
        }
        ArgumentNullException.ThrowIfNull(LoggerFactory, nameof(LoggerFactory));
        ArgumentNullException.ThrowIfNull(TimeProvider, nameof(TimeProvider));
    }
}
