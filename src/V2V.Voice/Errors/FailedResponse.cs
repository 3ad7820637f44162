using System.Globalization;
using System.Text.RegularExpressions;
using V2V.Realtime.Protocol.Models;

namespace V2V.Voice.Errors;

/// <summary>
/// What a <c>response.done</c> with status <c>failed</c> means for the session. The service reports an exhausted
/// quota or a rate limit this way, not as an <c>error</c> event: read as a silent empty turn, the user would hear
/// nothing and never learn why.
/// </summary>
internal static partial class FailedResponse
{
    /// <summary>Codes after which no further response can succeed on this key: the session ends.</summary>
    private static readonly HashSet<string> EndsTheSession = new(StringComparer.Ordinal)
    {
        "insufficient_quota", "billing_hard_limit_reached", "account_deactivated", "invalid_api_key",
    };

    /// <summary>The error of a failed response as an output: fatal for quota and billing, with the wait a rate limit asks for.</summary>
    public static Outputs.ErrorOutput Describe(RealtimeResponse response)
    {
        var error = response.StatusDetails?.Error;
        var code = error?.Code ?? error?.Type;
        var reason = error?.Message ?? error?.Type ?? "no reason given";
        if (code is not null && EndsTheSession.Contains(code))
        {
            return new Outputs.ErrorOutput(
                $"The realtime service refused to answer ({code}): {reason} No answer can succeed until the API key's plan or billing is fixed; the session ends.",
                code, Fatal: true);
        }
        if (code == "rate_limit_exceeded")
        {
            var wait = RetryAfter(reason);
            var advice = wait is { } w ? $" The service asks to wait {w.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s." : "";
            return new Outputs.ErrorOutput($"The answer was not given: rate limit reached ({reason}).{advice}", code, Fatal: false) { RetryAfter = wait };
        }
        return new Outputs.ErrorOutput($"The answer failed: {reason}", code, Fatal: false);
    }

    /// <summary>The wait in the service's wording ("Please try again in 20s", "in 1.5s", "in 350ms"), or null.</summary>
    public static TimeSpan? RetryAfter(string message)
    {
        var match = TryAgainIn().Match(message);
        if (!match.Success || !double.TryParse(match.Groups["value"].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            return null;
        }
        return match.Groups["unit"].Value == "ms" ? TimeSpan.FromMilliseconds(value) : TimeSpan.FromSeconds(value);
    }

    [GeneratedRegex(@"try again in (?<value>\d+(?:\.\d+)?)\s*(?<unit>ms|s)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex TryAgainIn();
}
