using System.Collections.Frozen;
using System.Globalization;
using System.Text.RegularExpressions;
using V2V.Realtime.Client;

namespace V2V.Voice.Connection;

/// <summary>
/// Decides from error codes, close codes and handshake statuses together whether a retry can help. The one list of
/// what is fatal: the session's handling of server <c>error</c> events asks here too.
/// </summary>
internal static partial class FailureClassifier
{
    /// <summary>OpenAI closes with 4000 when it refuses the request itself (e.g. <c>beta_api_shape_disabled</c>).</summary>
    public const int RefusedRequestCloseStatus = 4000;

    /// <summary>"Going away": OpenAI's close after <c>session_expired</c>.</summary>
    public const int GoingAwayCloseStatus = 1001;

    /// <summary>Error codes after which going on (or reconnecting) cannot help: the session ends with them.</summary>
    private static readonly FrozenSet<string> FatalErrorCodes = new[]
    {
        "invalid_api_key", "insufficient_quota", "account_deactivated", "billing_hard_limit_reached",
        "beta_api_shape_disabled", "model_not_found", "DeploymentNotFound", "unsupported_country_region_territory",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Whether a server error code ends the session.</summary>
    public static bool IsFatalCode(string? code) => code is not null && FatalErrorCodes.Contains(code);

    /// <summary>A failure to connect, to configure, or a connection that ended early.</summary>
    public static FailureVerdict Classify(Exception error) => error switch
    {
        ConnectionEndedException ended => Classify(ended.End),
        RealtimeConfigurationException => new(FailureKind.Fatal, error.Message),
        RealtimeAuthenticationException => new(FailureKind.Fatal, error.Message),
        RealtimeHandshakeException handshake => ClassifyHandshake(handshake.StatusCode, handshake.Message) with
        {
            // The Retry-After header, else the wait the service's reason names ("try again in 20s").
            RetryAfter = handshake.RetryAfter ?? RetryAfterIn(handshake.Reason),
        },
        RealtimeException => new(FailureKind.Transient, error.Message),
        // Anything else is a fault of this side (bad options, a bug): the same call would fail the same way.
        _ => new(FailureKind.Fatal, error.Message),
    };

    /// <summary>A refused WebSocket handshake, by its HTTP status (null: no HTTP answer, i.e. the network).</summary>
    public static FailureVerdict ClassifyHandshake(int? status, string reason) => status switch
    {
        null or 408 or 429 or >= 500 => new(FailureKind.Transient, reason),
        401 or 403 => new(FailureKind.Fatal, reason),
        404 => new(FailureKind.Fatal, $"{reason} The model or deployment was not found: check the model (on Azure, the deployment name) and the endpoint."),
        _ => new(FailureKind.Fatal, $"{reason} The service refused the request as configured; retrying the same request cannot help."),
    };

    /// <summary>A live connection that ended: the last error the server sent and its close status together.</summary>
    public static FailureVerdict Classify(ConnectionEnd end)
    {
        var reason = end.Describe();
        if (IsFatalCode(end.LastErrorCode))
        {
            return new(FailureKind.Fatal, reason);
        }
        if (end.CloseStatus == RefusedRequestCloseStatus)
        {
            return new(FailureKind.Fatal, $"The realtime service refused the session and closed it ({reason}); reconnecting cannot help.");
        }
        if (end.LastErrorCode == "session_expired" || end.CloseStatus == GoingAwayCloseStatus)
        {
            return new(FailureKind.Renewal, reason);
        }
        return new(FailureKind.Transient, reason, end.LastErrorCode == "rate_limit_exceeded" ? RetryAfterIn(end.LastErrorMessage) : null);
    }

    /// <summary>The wait a rate-limit message asks for ("Please try again in 1.5s", "in 20ms", "in 1m30s"), if it names one.</summary>
    public static TimeSpan? RetryAfterIn(string? message)
    {
        var match = message is null ? null : TryAgainIn().Match(message);
        if (match is not { Success: true })
        {
            return null;
        }
        var minutes = match.Groups["m"].Success ? double.Parse(match.Groups["m"].Value, CultureInfo.InvariantCulture) : 0;
        var amount = double.Parse(match.Groups["n"].Value, CultureInfo.InvariantCulture);
        var rest = match.Groups["unit"].Value == "ms" ? TimeSpan.FromMilliseconds(amount) : TimeSpan.FromSeconds(amount);
        return TimeSpan.FromMinutes(minutes) + rest;
    }

    [GeneratedRegex(@"try again in (?:(?<m>\d+)m)?(?<n>\d+(?:\.\d+)?)(?<unit>ms|s)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex TryAgainIn();
}
