using System.Text.Json;
using V2V.Simulator.Protocol;

namespace V2V.Simulator.Vad;

/// <summary>
/// The ranges the service holds <c>turn_detection</c> to that the schemas do not state: the threshold is a
/// fraction (0-1) and the two durations are non-negative milliseconds. The schema already checks the type names,
/// <c>eagerness</c> (low/medium/high/auto), and in GA <c>idle_timeout_ms</c> (5000-30000, server_vad only).
/// </summary>
internal static class TurnDetectionLimits
{
    /// <summary>Null when accepted; else the error, its param under <paramref name="param"/> (the turn_detection path).</summary>
    public static InvalidParam? Check(JsonElement turnDetection, string param)
    {
        if (turnDetection.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        if (turnDetection.TryGetProperty("threshold", out var threshold)
            && NumericLimits.Decimal(threshold, 0, 1, $"{param}.threshold") is { } badThreshold)
        {
            return badThreshold;
        }

        // The detector keeps both durations as int: the upper bound keeps a sound update from failing while applied.
        foreach (var name in (ReadOnlySpan<string>)["prefix_padding_ms", "silence_duration_ms"])
        {
            if (turnDetection.TryGetProperty(name, out var ms) && NumericLimits.Integer(ms, 0, int.MaxValue, $"{param}.{name}") is { } badMs)
            {
                return badMs;
            }
        }

        return null;
    }
}
