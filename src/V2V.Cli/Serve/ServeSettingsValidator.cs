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

    private static string Problem(string key, string what) => $"{key} {what}; {ServeSetting.Of(key)!.Where}.";
}
