using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using V2V.Voice.Diagnostics;

namespace V2V.Playground.Telemetry;

/// <summary>
/// OpenTelemetry in the playground's host, as asked: the meter <c>V2V.Voice</c> and the source
/// <see cref="SessionTracing.SourceName"/> to an OTLP collector, and/or the meter on <c>/metrics</c> for Prometheus.
/// </summary>
internal static class TelemetrySetup
{
    public const string MetricsPath = "/metrics";

    public static void Register(IServiceCollection services, PlaygroundTelemetry telemetry, Func<string, string?> environment)
    {
        var otlp = telemetry.OtlpEndpoint is not null || !string.IsNullOrEmpty(environment(PlaygroundTelemetry.OtlpEndpointVariable));
        if (!otlp && !telemetry.Prometheus)
        {
            return;
        }
        var builder = services.AddOpenTelemetry().ConfigureResource(r => r.AddService("v2v"));
        builder.WithMetrics(metrics =>
        {
            metrics.AddMeter(VoiceMetrics.MeterName);
            if (telemetry.Prometheus)
            {
                metrics.AddPrometheusExporter();
            }
            if (otlp)
            {
                metrics.AddOtlpExporter(o => SetEndpoint(o, telemetry));
            }
        });
        if (otlp)
        {
            builder.WithTracing(tracing => tracing.AddSource(SessionTracing.SourceName).AddOtlpExporter(o => SetEndpoint(o, telemetry)));
        }
    }

    public static void Map(WebApplication app, PlaygroundTelemetry telemetry)
    {
        if (telemetry.Prometheus)
        {
            app.MapPrometheusScrapingEndpoint(MetricsPath);
        }
    }

    // Unset, the exporter reads OTEL_EXPORTER_OTLP_ENDPOINT (and its protocol, headers...) itself.
    private static void SetEndpoint(OpenTelemetry.Exporter.OtlpExporterOptions options, PlaygroundTelemetry telemetry)
    {
        if (telemetry.OtlpEndpoint is { } endpoint)
        {
            options.Endpoint = endpoint;
        }
    }
}
