namespace V2V.Cli.Serve;

/// <summary>
/// Checks <c>v2v serve</c>'s settings before anything starts; each problem names the setting (its key, variable and
/// flag) and what it accepts. The playground and the extension check the rest (a token's length, property values).
/// </summary>
internal static class ServeSettingsValidator
{
    private static readonly string[] Vendors = ["openai", "azure"];
    private static readonly string[] LogFormats = ["simple", "json", "systemd"];

    /// <summary>The first problem, or null.</summary>
    public static string? FirstProblem(ServeConfiguration configuration)
    {
        var serve = configuration.Serve;
        if (serve.MaxSessions < 1)
        {
            return Problem("Serve:MaxSessions", $"must be at least 1, got {serve.MaxSessions}");
        }
        if (serve.Port is < 0 or > 65535)
        {
            return Problem("Serve:Port", $"must be a TCP port from 0 to 65535, got {serve.Port}");
        }
        if (serve.Vendor is { Length: > 0 } vendor && !Vendors.Contains(vendor, StringComparer.OrdinalIgnoreCase))
        {
            return Problem("Serve:Vendor", $"must be one of {string.Join(", ", Vendors)}, got '{vendor}'");
        }
        if (PhoneProblem(serve.Phone) is { } phone)
        {
            return phone;
        }
        if (configuration.Drain.Timeout is < 0 or > 3600 || double.IsNaN(configuration.Drain.Timeout))
        {
            return Problem("Drain:Timeout", $"must be a number of seconds from 0 to 3600, got {configuration.Drain.Timeout}");
        }
        if (configuration.Telemetry.OtlpEndpoint is { } otlp && (!otlp.IsAbsoluteUri || otlp.Scheme is not ("http" or "https")))
        {
            return Problem("Telemetry:OtlpEndpoint", $"must be an http(s) URL of an OTLP collector (e.g. http://collector:4317), got '{otlp}'");
        }
        if (configuration.Root["Logging:Console:FormatterName"] is { Length: > 0 } format && !LogFormats.Contains(format, StringComparer.OrdinalIgnoreCase))
        {
            return Problem("Logging:Console:FormatterName", $"must be one of {string.Join(", ", LogFormats)}, got '{format}'");
        }
        return null;
    }

    // The variable's value (the token) is ServeTelephony's to read; here only what the settings say.
    private static string? PhoneProblem(PhoneSettings phone)
    {
        if (phone.MaxCalls < 1)
        {
            return Problem("Serve:Phone:MaxCalls", $"must be at least 1, got {phone.MaxCalls}");
        }
        if (phone.PublicUrl is { } url && (!url.IsAbsoluteUri || url.Scheme is not ("wss" or "ws")))
        {
            return Problem("Serve:Phone:PublicUrl", $"must be the stream's absolute wss:// URL exactly as the TwiML's <Stream url> gives it (Twilio signs that URL), e.g. wss://voice.example.com/media-stream; got '{url}'");
        }
        // A value that is no variable's name, or has a Twilio auth token's shape (32 hex digits), may be the token
        // itself put in the wrong place: it is not repeated.
        if (phone.AuthTokenEnv is { } variable && (!IsVariableName(variable) || variable.Length == 32 && variable.All(char.IsAsciiHexDigit)))
        {
            return Problem("Serve:Phone:AuthTokenEnv", $"must name the environment variable that holds the Twilio auth token (letters, digits and _, e.g. {Playground.Telephony.TelephonyOptions.AuthTokenVariable}), not hold the token itself");
        }
        return null;
    }

    private static bool IsVariableName(string name) =>
        name.Length > 0 && !char.IsAsciiDigit(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    private static string Problem(string key, string what) => $"{key} {what}; {ServeSetting.Of(key)!.Where}.";
}
