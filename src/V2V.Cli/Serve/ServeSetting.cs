namespace V2V.Cli.Serve;

/// <summary>
/// One setting of <c>v2v serve</c> under each of its names: the configuration key (<c>Serve:MaxSessions</c>, in
/// appsettings.json <c>"Serve": {"MaxSessions": 8}</c>), the environment variable (<c>V2V_Serve__MaxSessions</c>) and the flag.
/// </summary>
internal sealed record ServeSetting(string Key, string Flag)
{
    /// <summary>The prefix of the environment variables read as settings.</summary>
    public const string EnvironmentPrefix = "V2V_";

    public string Variable => EnvironmentPrefix + Key.Replace(":", "__", StringComparison.Ordinal);

    /// <summary>Where it can be set, for an error's fix.</summary>
    public string Where => $"set {Key} in appsettings.json or --config FILE, {Variable} in the environment, or {Flag}";

    public static readonly IReadOnlyList<ServeSetting> All =
    [
        new("Serve:Urls", "--urls"),
        new("Serve:Host", "--host"),
        new("Serve:Port", "--port"),
        new("Serve:Token", "--token"),
        new("Serve:ApiKeyEnv", "--api-key-env"),
        new("Serve:Vendor", "--vendor"),
        new("Serve:BaseUri", "--base-uri"),
        new("Serve:Path", "--path"),
        new("Serve:Model", "--model"),
        new("Serve:MaxSessions", "--max-sessions"),
        new("Serve:Verbose", "--verbose"),
        new("Serve:Graph", "--graph"),
        new("Serve:GraphName", "--graph-name"),
        new("Serve:Phone:AuthTokenEnv", "--twilio-auth-token-env"),
        new("Serve:Phone:PublicUrl", "--public-url"),
        new("Serve:Phone:MaxCalls", "--max-calls"),
        new("Drain:Timeout", "--drain-timeout"),
        new("Telemetry:Prometheus", "--metrics"),
        new("Telemetry:OtlpEndpoint", "--otlp-endpoint"),
        new("Logging:Console:FormatterName", "--log-format"),
    ];

    /// <summary>The setting of a key (case-insensitive, as configuration keys are).</summary>
    public static ServeSetting? Of(string key) => All.FirstOrDefault(s => s.Key.Equals(key, StringComparison.OrdinalIgnoreCase));
}
