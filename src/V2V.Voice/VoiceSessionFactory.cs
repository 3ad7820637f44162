using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace V2V.Voice;

/// <summary>
/// Starts voice sessions from the options a host registered (<see cref="VoiceSessionServiceCollectionExtensions.AddVoiceSessions"/>):
/// bound from its configuration and checked at its start, then changed for each session (its user's greeting, tools,
/// conversation so far). Each session gets options of its own; it logs to the host's loggers and measures on the host's
/// meters (<c>services.AddMetrics()</c>) unless it was given its own.
/// </summary>
public sealed class VoiceSessionFactory
{
    private readonly IOptionsFactory<VoiceSessionOptions> _options;
    private readonly ILoggerFactory? _loggerFactory;
    private readonly IMeterFactory? _meterFactory;

    /// <param name="options">Makes the registered options, a new instance each time.</param>
    /// <param name="loggerFactory">The host's logging, when it has any.</param>
    /// <param name="meterFactory">The host's meters, when it has any.</param>
    public VoiceSessionFactory(IOptionsFactory<VoiceSessionOptions> options, ILoggerFactory? loggerFactory = null, IMeterFactory? meterFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _loggerFactory = loggerFactory;
        _meterFactory = meterFactory;
    }

    /// <summary>Starts a session (connected, configured) with the registered options, changed by <paramref name="configure"/> for this one.</summary>
    /// <exception cref="OptionsValidationException">The registered options are at fault (each setting named).</exception>
    /// <exception cref="ArgumentException">A setting <paramref name="configure"/> made is at fault (named).</exception>
    public Task<VoiceSession> StartAsync(Action<VoiceSessionOptions>? configure = null, CancellationToken cancellationToken = default) =>
        VoiceSession.StartAsync(CreateOptions(configure), cancellationToken);

    /// <summary>
    /// The options of one session: the registered ones, a new instance, then <paramref name="configure"/>. For a host that
    /// changes them asynchronously (a user's conversation read from a store) before <see cref="VoiceSession.StartAsync"/>.
    /// </summary>
    public VoiceSessionOptions CreateOptions(Action<VoiceSessionOptions>? configure = null)
    {
        var options = _options.Create(Options.DefaultName);
        options.LoggerFactory ??= _loggerFactory;
        options.MeterFactory ??= _meterFactory;
        configure?.Invoke(options);
        return options;
    }
}
