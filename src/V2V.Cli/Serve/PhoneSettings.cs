namespace V2V.Cli.Serve;

/// <summary>
/// The section <c>Serve:Phone</c>: the phone line (<c>/media-stream</c>, Twilio Media Streams). The auth token itself
/// is no setting: it is read from the environment variable <see cref="AuthTokenEnv"/> names, never from a file
/// (<see cref="SecretSettings"/> refuses one that holds it).
/// </summary>
internal sealed class PhoneSettings
{
    /// <summary>The environment variable that holds the Twilio auth token (<c>--twilio-auth-token-env</c>); null: TWILIO_AUTH_TOKEN.</summary>
    public string? AuthTokenEnv { get; set; }

    /// <summary>The stream's wss:// URL as the TwiML's <c>&lt;Stream url&gt;</c> gives it (<c>--public-url</c>); null: rebuilt from the request.</summary>
    public Uri? PublicUrl { get; set; }

    /// <summary>Calls at once (<c>--max-calls</c>); default 8.</summary>
    public int MaxCalls { get; set; } = 8;
}
