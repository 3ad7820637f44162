namespace V2V.Playground.Telephony;

/// <summary>
/// Settings of the phone line: the <c>/media-stream</c> WebSocket that Twilio's <c>&lt;Connect&gt;&lt;Stream&gt;</c>
/// opens, one call per connection, each one voice session.
/// </summary>
public sealed class TelephonyOptions
{
    /// <summary>The environment variable read for <see cref="AuthToken"/> when none is given.</summary>
    public const string AuthTokenVariable = "TWILIO_AUTH_TOKEN";

    /// <summary>
    /// The Twilio account's auth token. Set: a stream is accepted only with a valid <c>X-Twilio-Signature</c>
    /// (HMAC-SHA1 of the stream URL with this token). Unset (and no <see cref="AuthTokenVariable"/>): only loopback
    /// callers are accepted. Never logged.
    /// </summary>
    public string? AuthToken { get; set; }

    /// <summary>
    /// The stream URL exactly as the TwiML gives it (e.g. <c>wss://example.com/media-stream</c>), which is what Twilio
    /// signs. Null: rebuilt from the request (<c>X-Forwarded-Proto</c>/<c>X-Forwarded-Host</c> of a TLS proxy, else its own).
    /// </summary>
    public Uri? PublicUrl { get; set; }

    /// <summary>How many calls may run at once (each is a graph and a realtime connection). Default 8.</summary>
    public int MaxCalls { get; set; } = 8;

    internal string? EffectiveAuthToken(Func<string, string?> environment)
    {
        var token = string.IsNullOrEmpty(AuthToken) ? environment(AuthTokenVariable) : AuthToken;
        return string.IsNullOrEmpty(token) ? null : token;
    }

    internal void Validate()
    {
        if (MaxCalls < 1)
        {
            throw new PlaygroundConfigurationException($"Telephony.MaxCalls must be at least 1, got {MaxCalls}.");
        }
        if (PublicUrl is { } url && (!url.IsAbsoluteUri || url.Scheme is not ("wss" or "ws")))
        {
            throw new PlaygroundConfigurationException($"Telephony.PublicUrl must be the stream's absolute wss:// URL as the TwiML names it, got \"{url}\".");
        }
    }
}
