namespace V2V.Cli.Serve;

/// <summary>
/// The section <c>Serve</c> of <c>v2v serve</c>'s configuration: appsettings.json beside the program, then
/// <c>--config FILE</c>, then <c>V2V_Serve__NAME</c> variables, then the flags (each flag is one of these settings).
/// </summary>
internal sealed class ServeSettings
{
    public string? Urls { get; set; }

    public string? Host { get; set; }

    public int Port { get; set; } = 8080;

    public string? Token { get; set; }

    public string? ApiKeyEnv { get; set; }

    public string? Vendor { get; set; }

    public string? BaseUri { get; set; }

    public string? Path { get; set; }

    public string? Model { get; set; }

    public int MaxSessions { get; set; } = 8;

    public bool Verbose { get; set; }

    public string? Graph { get; set; }

    public string? GraphName { get; set; }

    /// <summary>The phone line: <c>"Phone": {"AuthTokenEnv": "TWILIO_AUTH_TOKEN", "PublicUrl": "wss://...", "MaxCalls": 8}</c>.</summary>
    public PhoneSettings Phone { get; set; } = new();

    /// <summary>openai_v2v properties by name (<c>"Properties": {"greeting": "Hello!"}</c>); <c>--set</c> adds to them.</summary>
    public Dictionary<string, string> Properties { get; set; } = [];
}
