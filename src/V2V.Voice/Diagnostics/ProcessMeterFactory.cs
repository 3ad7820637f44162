using System.Diagnostics.Metrics;

namespace V2V.Voice.Diagnostics;

/// <summary>
/// The meter factory of sessions given none: one per process, so a listener by name (OpenTelemetry's
/// <c>AddMeter("V2V.Voice")</c>, dotnet-counters) sees every such session on one meter, as before factories.
/// A framework piece would do (Microsoft.Extensions.Diagnostics' default factory), but only through a DI container,
/// which the voice session has no other use for. Meters are kept by name and version, for the process's life.
/// </summary>
internal sealed class ProcessMeterFactory : IMeterFactory
{
    public static readonly ProcessMeterFactory Instance = new();

    private readonly Dictionary<(string Name, string? Version), Meter> _meters = [];

    private ProcessMeterFactory()
    {
    }

    public Meter Create(MeterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Tags?.Any() == true)
        {
            throw new ArgumentException("The process's meter factory keeps meters by name and version only: give the session a VoiceSessionOptions.MeterFactory for tagged meters.", nameof(options));
        }
        lock (_meters)
        {
            if (!_meters.TryGetValue((options.Name, options.Version), out var meter))
            {
                meter = new Meter(new MeterOptions(options.Name) { Version = options.Version, Scope = this });
                _meters.Add((options.Name, options.Version), meter);
            }
            return meter;
        }
    }

    /// <summary>The process's meters live as long as the process.</summary>
    public void Dispose()
    {
    }
}
