using System.Globalization;

namespace V2V.Realtime.Client;

/// <summary>
/// The exception of a handshake that failed, worded for the one line a user reads: the URL (secrets masked), the
/// HTTP status, the service's reason, the wait it asked for, and what to check.
/// </summary>
internal static class HandshakeFailures
{
    /// <param name="endpoint">The endpoint tried.</param>
    /// <param name="options">The client's options (which credential was sent, the timeout).</param>
    /// <param name="status">The HTTP status, or 0 when no HTTP answer came.</param>
    /// <param name="refusal">What the server said, when it answered with an error.</param>
    /// <param name="error">The failure ClientWebSocket reported.</param>
    /// <param name="providedKey">The key <see cref="RealtimeClientOptions.ApiKeyProvider"/> gave for this attempt, if any.</param>
    public static RealtimeHandshakeException Create(RealtimeEndpoint endpoint, RealtimeClientOptions options, int status, ServiceRefusal? refusal, Exception error, string? providedKey = null)
    {
        var url = endpoint.DisplayUrl;
        // The reason was masked by its look; the credentials we sent are masked by their value too, whatever they look like.
        var reason = refusal?.Reason is { } said ? Mask(said, options, providedKey) : null;
        return status switch
        {
            401 or 403 => new RealtimeAuthenticationException(
                $"The realtime endpoint {url} refused the credentials (HTTP {status}{Said(reason, ": ")}). Check {CredentialHint(options)}.",
                url, status)
            {
                Reason = reason, ErrorCode = refusal?.Code, RetryAfter = refusal?.RetryAfter,
                Option = CredentialOption(options),
            },
            0 when error is OperationCanceledException => new RealtimeHandshakeException($"Connecting to {url} timed out after {options.ConnectTimeout.TotalSeconds:F0} s.", url, null),
            0 => new RealtimeHandshakeException($"Could not connect to {url}: {Mask(WithCause(error), options, providedKey)}", url, null),
            _ => new RealtimeHandshakeException(
                $"The realtime endpoint {url} refused the WebSocket handshake with HTTP {status}{Said(reason, ": ")}.{Wait(refusal?.RetryAfter)}",
                url, status) { Reason = reason, ErrorCode = refusal?.Code, RetryAfter = refusal?.RetryAfter },
        };
    }

    /// <summary>
    /// The failure with the cause beneath it: ClientWebSocket says only "Unable to connect to the remote server",
    /// and what the user needs (connection refused, no such host, the response ended early) is the innermost error.
    /// </summary>
    private static string WithCause(Exception error)
    {
        var cause = error;
        while (cause.InnerException is { } inner)
        {
            cause = inner;
        }
        return ReferenceEquals(cause, error) || error.Message.Contains(cause.Message, StringComparison.Ordinal)
            ? error.Message
            : $"{error.Message.TrimEnd('.')} ({cause.Message.TrimEnd('.')})";
    }

    internal static string Said(string? reason, string separator) => reason is null ? "" : separator + reason.TrimEnd('.', ' ');

    internal static string Wait(TimeSpan? retryAfter) => retryAfter is { } wait
        ? string.Create(CultureInfo.InvariantCulture, $" The service asks to wait {wait.TotalSeconds:0.#} s before trying again (Retry-After).")
        : "";

    private static string CredentialOption(RealtimeClientOptions options) =>
        options.ApiKeyProvider is not null ? nameof(RealtimeClientOptions.ApiKeyProvider)
        : string.IsNullOrEmpty(options.BearerToken) ? nameof(RealtimeClientOptions.ApiKey)
        : nameof(RealtimeClientOptions.BearerToken);

    private static string CredentialHint(RealtimeClientOptions options) => CredentialOption(options) switch
    {
        nameof(RealtimeClientOptions.ApiKeyProvider) => "the key ApiKeyProvider returned (an ephemeral key opens sessions only until it expires: make a new one for each connection)",
        nameof(RealtimeClientOptions.ApiKey) => "ApiKey" + (options.Vendor == RealtimeVendor.Azure ? " (Azure: the resource's key, sent as api-key)" : ""),
        var other => other,
    };

    /// <summary>The text with the credentials sent masked by their value, whatever they look like.</summary>
    internal static string Mask(string text, RealtimeClientOptions options, string? providedKey = null) =>
        SecretRedactor.Redact(SecretRedactor.Redact(SecretRedactor.Redact(text, options.ApiKey), options.BearerToken), providedKey);
}
