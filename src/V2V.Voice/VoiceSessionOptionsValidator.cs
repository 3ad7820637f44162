using Microsoft.Extensions.Options;

namespace V2V.Voice;

/// <summary>
/// The checks of <see cref="VoiceSessionOptions"/>, as Microsoft.Extensions.Options runs them: a host that binds the
/// options from configuration registers this validator (<c>services.AddSingleton&lt;IValidateOptions&lt;VoiceSessionOptions&gt;,
/// VoiceSessionOptionsValidator&gt;()</c>, with <c>ValidateOnStart()</c>) and gets every failure at start, each naming
/// the setting and what it accepts; <see cref="VoiceSessionOptions.Validate"/> runs the same checks.
/// </summary>
public sealed class VoiceSessionOptionsValidator : IValidateOptions<VoiceSessionOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, VoiceSessionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = Check(options);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures.Select(f => f.Message));
    }

    /// <summary>Every setting at fault, in the order of the options, each with the message that names it.</summary>
    internal static IReadOnlyList<(string Setting, string Message)> Check(VoiceSessionOptions o)
    {
        var failures = new List<(string, string)>();
        var beta = o.Connection?.Dialect == V2V.Realtime.Protocol.RealtimeDialect.Beta;
        void Check(bool ok, string name, string message)
        {
            if (!ok)
            {
                failures.Add((name, $"{name} {message}."));
            }
        }

        Check(o.OutputSampleRate is >= 8000 and <= 48000, nameof(VoiceSessionOptions.OutputSampleRate), $"must be 8000 to 48000 Hz (got {o.OutputSampleRate})");
        Check(o.OutputFrameDuration >= TimeSpan.FromMilliseconds(5) && o.OutputFrameDuration <= TimeSpan.FromMilliseconds(100), nameof(VoiceSessionOptions.OutputFrameDuration), $"must be 5 to 100 ms (got {o.OutputFrameDuration.TotalMilliseconds} ms)");
        Check(o.InputChunkMs is >= 10 and <= 1000, nameof(VoiceSessionOptions.InputChunkMs), $"must be 10 to 1000 ms (got {o.InputChunkMs})");
        Check(o.InputQuietDbfs is >= -120 and <= 0, nameof(VoiceSessionOptions.InputQuietDbfs), $"must be -120 to 0 dBFS (got {o.InputQuietDbfs})");
        Check(o.VadThreshold is >= 0 and <= 1, nameof(VoiceSessionOptions.VadThreshold), $"must be 0 to 1 (got {o.VadThreshold})");
        Check(o.VadPrefixPaddingMs >= 0, nameof(VoiceSessionOptions.VadPrefixPaddingMs), $"must not be negative (got {o.VadPrefixPaddingMs})");
        Check(o.VadSilenceDurationMs is >= 50 and <= 10000, nameof(VoiceSessionOptions.VadSilenceDurationMs), $"must be 50 to 10000 ms (got {o.VadSilenceDurationMs})");
        Check(o.SemanticVadEagerness is "low" or "medium" or "high" or "auto", nameof(VoiceSessionOptions.SemanticVadEagerness), $"must be low, medium, high or auto (got '{o.SemanticVadEagerness}')");
        Check(o.NoiseReduction is null or "near_field" or "far_field", nameof(VoiceSessionOptions.NoiseReduction), $"must be near_field, far_field or null (off) (got '{o.NoiseReduction}')");
        Check(o.IdleTimeout is null || (o.IdleTimeout >= MinIdleTimeout && o.IdleTimeout <= MaxIdleTimeout), nameof(VoiceSessionOptions.IdleTimeout), $"must be 5 to 30 s, or null (off) (got {o.IdleTimeout?.TotalSeconds} s)");
        Check(o.Speed is null or (>= 0.25 and <= 1.5), nameof(VoiceSessionOptions.Speed), $"must be 0.25 to 1.5, or null (the service's, 1) (got {o.Speed})");
        Check(o.Speed is null || !beta, nameof(VoiceSessionOptions.Speed), GaOnly("audio.output.speed", nameof(VoiceSessionOptions.Speed)));
        Check(o.ReasoningEffort is null or "minimal" or "low" or "medium" or "high" or "xhigh", nameof(VoiceSessionOptions.ReasoningEffort), $"must be minimal, low, medium, high, xhigh or null (the model's own) (got '{o.ReasoningEffort}')");
        Check(o.ReasoningEffort is null || !beta, nameof(VoiceSessionOptions.ReasoningEffort), GaOnly("reasoning", nameof(VoiceSessionOptions.ReasoningEffort)));
        Check(o.ParallelToolCalls is null || !beta, nameof(VoiceSessionOptions.ParallelToolCalls), GaOnly("parallel_tool_calls", nameof(VoiceSessionOptions.ParallelToolCalls)));
        Check(o.Tracing is null || !beta, nameof(VoiceSessionOptions.Tracing), GaOnly("tracing", nameof(VoiceSessionOptions.Tracing)));
        Check(o.Tracing?.Metadata is null || o.Tracing.Metadata.All(m => !string.IsNullOrWhiteSpace(m.Key) && m.Value is not null), nameof(VoiceSessionOptions.Tracing), "Metadata must have a name and a value in each entry");
        Check(o.RetentionRatio is null or (> 0 and <= 1), nameof(VoiceSessionOptions.RetentionRatio), $"must be more than 0 and at most 1, or null (the service's own truncation) (got {o.RetentionRatio})");
        Check(o.RetentionRatio is null || !beta, nameof(VoiceSessionOptions.RetentionRatio), GaOnly("truncation", nameof(VoiceSessionOptions.RetentionRatio)));
        Check(o.TruncationTokenLimit is null or > 0, nameof(VoiceSessionOptions.TruncationTokenLimit), $"must be positive, or null (the model's context) (got {o.TruncationTokenLimit})");
        Check(o.TruncationTokenLimit is null || o.RetentionRatio is not null, nameof(VoiceSessionOptions.TruncationTokenLimit), "works with RetentionRatio only, as the service's token_limits do; set RetentionRatio too (e.g. 0.8)");
        Check(IsSafeFileLabel(o.DumpName), nameof(VoiceSessionOptions.DumpName), $"must be 1 to 32 letters, digits, '-' or '_' (got '{o.DumpName}')");
        Check(o.PreviousConversation is not null, nameof(VoiceSessionOptions.PreviousConversation), "must be set (empty: none)");
        Check(o.MaxHistory >= 0, nameof(VoiceSessionOptions.MaxHistory), $"must not be negative (got {o.MaxHistory})");
        Check(o.Voice is null || BuiltInVoices.Contains(o.Voice), nameof(VoiceSessionOptions.Voice), $"must be one of {string.Join(", ", BuiltInVoices.All)} (got '{o.Voice}')");
        Check(o.MaxTokens is null or > 0, nameof(VoiceSessionOptions.MaxTokens), $"must be positive (got {o.MaxTokens})");
        Check(o.Temperature is null or (>= 0 and <= 2), nameof(VoiceSessionOptions.Temperature), $"must be 0 to 2 (got {o.Temperature})");
        Check(o.Tools is not null && o.Tools.All(f => f is not null), nameof(VoiceSessionOptions.Tools), "must be set, without null entries (empty: none)");
        var duplicate = o.Tools?.Where(f => f is not null).GroupBy(f => f.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1)?.Key;
        Check(duplicate is null, nameof(VoiceSessionOptions.Tools), $"must name each function once (two are named '{duplicate}'; pass name: to AIFunctionFactory.Create)");
        foreach (var problem in Tools.McpServerTool.Problems(o.McpServers, o.Connection, beta))
        {
            Check(false, nameof(VoiceSessionOptions.McpServers), problem);
        }
        Check(o.ToolTimeout > TimeSpan.Zero, nameof(VoiceSessionOptions.ToolTimeout), "must be positive");
        Check(o.OutputCapacity >= 16, nameof(VoiceSessionOptions.OutputCapacity), $"must be at least 16 (got {o.OutputCapacity})");
        Check(o.OutputPacingInterval >= TimeSpan.FromMilliseconds(1) && o.OutputPacingInterval <= TimeSpan.FromMilliseconds(100), nameof(VoiceSessionOptions.OutputPacingInterval), $"must be 1 to 100 ms (got {o.OutputPacingInterval.TotalMilliseconds} ms)");
        Check(o.MaxQueuedOutput >= TimeSpan.FromSeconds(1), nameof(VoiceSessionOptions.MaxQueuedOutput), "must be at least 1 s");
        Check(o.ReconnectAudioBuffer >= TimeSpan.Zero && o.ReconnectAudioBuffer <= TimeSpan.FromMinutes(1), nameof(VoiceSessionOptions.ReconnectAudioBuffer), $"must be 0 to 60 s (got {o.ReconnectAudioBuffer.TotalSeconds} s)");
        Check(o.ReconnectDelay > TimeSpan.Zero && o.ReconnectDelay <= TimeSpan.FromMinutes(1), nameof(VoiceSessionOptions.ReconnectDelay), $"must be more than 0 and at most 60 s (got {o.ReconnectDelay.TotalMilliseconds} ms)");
        Check(o.MaxReconnectDelay >= o.ReconnectDelay && o.MaxReconnectDelay <= TimeSpan.FromHours(1), nameof(VoiceSessionOptions.MaxReconnectDelay), $"must be at least ReconnectDelay ({o.ReconnectDelay.TotalMilliseconds} ms) and at most 1 h (got {o.MaxReconnectDelay.TotalMilliseconds} ms)");
        Check(o.HealthyConnectionTime > TimeSpan.Zero, nameof(VoiceSessionOptions.HealthyConnectionTime), $"must be positive (got {o.HealthyConnectionTime.TotalSeconds} s)");
        Check(o.ReconnectGiveUpAfter > TimeSpan.Zero, nameof(VoiceSessionOptions.ReconnectGiveUpAfter), $"must be positive (got {o.ReconnectGiveUpAfter.TotalSeconds} s); to stop reconnecting set Reconnect to false");
        Check(o.FirstConnectRetries is >= 0 and <= 20, nameof(VoiceSessionOptions.FirstConnectRetries), $"must be 0 to 20 (got {o.FirstConnectRetries})");
        Check(o.MaxConnectionAge is null || o.MaxConnectionAge >= TimeSpan.FromSeconds(1), nameof(VoiceSessionOptions.MaxConnectionAge), $"must be at least 1 s, or null for the service's expires_at (got {o.MaxConnectionAge?.TotalSeconds} s)");
        Check(o.TimeProvider is not null, nameof(VoiceSessionOptions.TimeProvider), "must be set (TimeProvider.System by default)");
        return failures;
    }

    private static string GaOnly(string field, string option) =>
        $"needs the GA dialect: the beta protocol (Azure's preview endpoint) has no {field}; connect to a GA endpoint or set {option} to null";

    // The service's bounds of idle_timeout_ms.
    private static readonly TimeSpan MinIdleTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan MaxIdleTimeout = TimeSpan.FromSeconds(30);

    private static bool IsSafeFileLabel(string? label) =>
        label is { Length: >= 1 and <= 32 } && label.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}
