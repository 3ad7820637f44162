using V2V.Playground.Telephony;

namespace V2V.Cli.Commands;

/// <summary>
/// The phone line of <c>v2v serve</c> (<c>/media-stream</c>, Twilio Media Streams) from its flags: the auth token is
/// read from an environment variable (TWILIO_AUTH_TOKEN, or the one <c>--twilio-auth-token-env</c> names), never from
/// the command line; <c>--public-url</c> is the stream URL Twilio signs; <c>--max-calls</c> bounds the calls at once.
/// </summary>
internal static class ServeTelephony
{
    /// <summary>Sets <paramref name="telephony"/>; false, said on <paramref name="errors"/> naming the flag and the fix, when a flag is wrong.</summary>
    public static bool TryConfigure(TelephonyOptions telephony, Func<string, string?> environment, string? tokenVariable, string? publicUrl, int maxCalls, TextWriter errors)
    {
        if (maxCalls < 1)
        {
            errors.WriteLine($"v2v serve: --max-calls must be at least 1, got {maxCalls}.");
            return false;
        }
        telephony.MaxCalls = maxCalls;
        if (publicUrl is not null)
        {
            if (!Uri.TryCreate(publicUrl, UriKind.Absolute, out var url) || url.Scheme is not ("wss" or "ws"))
            {
                errors.WriteLine($"v2v serve: --public-url must be the stream's absolute wss:// URL exactly as the TwiML's <Stream url> gives it (Twilio signs that URL), e.g. wss://voice.example.com/media-stream; got \"{publicUrl}\".");
                return false;
            }
            telephony.PublicUrl = url;
        }
        if (tokenVariable is not null)
        {
            // The token itself never goes on a command line (other users of the machine can read those).
            if (environment(tokenVariable) is not { Length: > 0 } token)
            {
                errors.WriteLine($"v2v serve: --twilio-auth-token-env {tokenVariable}: that environment variable is not set. Set it to the Twilio account's auth token, or leave the flag out to read {TelephonyOptions.AuthTokenVariable}.");
                return false;
            }
            telephony.AuthToken = token;
        }
        return true;
    }
}
