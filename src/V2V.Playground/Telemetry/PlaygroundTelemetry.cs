namespace V2V.Playground.Telemetry;

/// <summary>
/// What the playground exports with OpenTelemetry: the voice sessions' meter (<c>V2V.Voice</c>) and the sessions'
/// traces (<see cref="SessionTracing.SourceName"/>). Nothing is exported unless asked for here or by the standard
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> variable.
/// </summary>
public sealed class PlaygroundTelemetry
{
    /// <summary>The variable OpenTelemetry's exporters read for their collector's address.</summary>
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>Serve <c>/metrics</c> for a Prometheus scrape (without the access token, as a scraper carries none).</summary>
    public bool Prometheus { get; set; }

    /// <summary>
    /// An OTLP collector (e.g. <c>http://collector:4317</c>) to send metrics and traces to; null: the one
    /// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> names, if any (with the other <c>OTEL_EXPORTER_OTLP_*</c> settings).
    /// </summary>
    public Uri? OtlpEndpoint { get; set; }
}
