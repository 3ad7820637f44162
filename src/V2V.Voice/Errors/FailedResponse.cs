using System.Globalization;
using V2V.Realtime.Protocol.Models;
using V2V.Voice.Connection;

namespace V2V.Voice.Errors;

/// <summary>
/// What a <c>response.done</c> with status <c>failed</c> means for the session. The service reports an exhausted
/// quota or a rate limit this way, not as an <c>error</c> event: read as a silent empty turn, the user would hear
/// nothing and never learn why.
/// </summary>
internal static class FailedResponse
{
    /// <summary>The error of a failed response as an output: fatal for what no retry can mend (quota, billing, the key), with the wait a rate limit asks for.</summary>
    public static Outputs.ErrorOutput Describe(RealtimeResponse response)
    {
        var error = response.StatusDetails?.Error;
        var code = error?.Code ?? error?.Type;
        var reason = error?.Message ?? error?.Type ?? "no reason given";
        // The same codes that end a session as error events (quota, billing, key, account) end it here.
        if (FailureClassifier.IsFatalCode(code))
        {
            return new Outputs.ErrorOutput(
                $"The realtime service refused to answer ({code}): {reason} No answer can succeed until that is fixed (for quota or billing: the API key's plan); the session ends.",
                code, Fatal: true);
        }
        if (code == "rate_limit_exceeded")
        {
            var wait = FailureClassifier.RetryAfterIn(reason);
            var advice = wait is { } w ? $" The service asks to wait {w.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s." : "";
            return new Outputs.ErrorOutput($"The answer was not given: rate limit reached ({reason}).{advice}", code, Fatal: false) { RetryAfter = wait };
        }
        return new Outputs.ErrorOutput($"The answer failed: {reason}", code, Fatal: false);
    }
}
