using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace V2V.Playground;

/// <summary>Settings of the <see cref="PlaygroundServer"/>, checked when it starts.</summary>
public sealed class PlaygroundOptions
{
    /// <summary>The default address: loopback only, so nobody else on the network can spend the API key.</summary>
    public const string DefaultUrl = "http://127.0.0.1:8080";

    /// <summary>The environment variable that holds the access token when none is given in code or on the command line.</summary>
    public const string TokenVariable = "V2V_PLAYGROUND_TOKEN";

    /// <summary>
    /// Where to listen, as Kestrel URLs (<c>http://127.0.0.1:8080</c>; port 0 takes any free port). An address that is not
    /// loopback needs <see cref="AccessToken"/>: the server refuses to start without one.
    /// </summary>
    public IList<string> Urls { get; } = [];

    /// <summary>
    /// The access token: required when listening on a non-loopback address, enforced whenever set. The page is opened
    /// once as <c>/?token=T</c>; the server then keeps it in an HttpOnly cookie. Scripts may send <c>Authorization: Bearer T</c>.
    /// </summary>
    public string? AccessToken { get; set; }

    /// <summary>
    /// Properties of every session's <c>openai_v2v</c> node chosen by the server, never by the page: <c>api_key</c>
    /// (default <c>${env:OPENAI_API_KEY|}</c>: empty starts the local realtime server), <c>base_uri</c>, <c>path</c>,
    /// <c>vendor</c>, <c>model</c>, <c>dialect</c>, ... The page may set only <c>voice</c>, <c>system_message</c> and <c>turn_detection</c>.
    /// </summary>
    public JsonObject ExtensionProperties { get; } = [];

    /// <summary>
    /// What a user must do when the realtime service refuses the API key, in the host's words (<c>v2v serve</c> names
    /// its environment variable); the page and the log say it after the service's reason. Null: check <c>api_key</c>.
    /// </summary>
    public string? RefusedKeyFix { get; set; }

    /// <summary>
    /// A TEN app's graph to run behind the page, one copy per session, in place of the playground's own graph (mic,
    /// agent, time tool, page); made (and checked) with <see cref="PlaygroundGraph.Create"/>. The page is its RTC node;
    /// <see cref="ExtensionProperties"/> go to its <c>openai_v2v</c> nodes only where the graph sets none. Null: the playground's graph.
    /// </summary>
    public PlaygroundGraph? Graph { get; set; }

    /// <summary>How many browser sessions may run at once (each is a graph and a realtime connection). Default 8.</summary>
    public int MaxSessions { get; set; } = 8;

    /// <summary>
    /// How long a drain (<see cref="PlaygroundServer.DrainAsync"/>, SIGTERM in <c>v2v serve</c>) lets live sessions go on
    /// before it ends them. Default 30 s; 0 to 1 hour.
    /// </summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>What is exported with OpenTelemetry (metrics, traces, a Prometheus <c>/metrics</c>); by default nothing.</summary>
    public Telemetry.PlaygroundTelemetry Telemetry { get; } = new();

    /// <summary>Resolves <c>${env:NAME}</c> in properties; null: the process environment.</summary>
    public Func<string, string?>? Environment { get; set; }

    /// <summary>Where the server, the graphs and the extensions log.</summary>
    public ILoggerFactory LoggerFactory { get; set; } = NullLoggerFactory.Instance;

    internal Func<string, string?> ResolveEnvironment => Environment ?? System.Environment.GetEnvironmentVariable;

    internal IReadOnlyList<string> EffectiveUrls => Urls.Count > 0 ? [.. Urls] : [DefaultUrl];

    internal string? EffectiveToken
    {
        get
        {
            var token = string.IsNullOrEmpty(AccessToken) ? ResolveEnvironment(TokenVariable) : AccessToken;
            return string.IsNullOrEmpty(token) ? null : token;
        }
    }

    internal void Validate()
    {
        if (MaxSessions < 1)
        {
            throw new PlaygroundConfigurationException($"MaxSessions must be at least 1, got {MaxSessions}.");
        }
        if (DrainTimeout < TimeSpan.Zero || DrainTimeout > TimeSpan.FromHours(1))
        {
            throw new PlaygroundConfigurationException($"DrainTimeout must be from 0 to 1 hour, got {DrainTimeout}.");
        }
        ArgumentNullException.ThrowIfNull(LoggerFactory, nameof(LoggerFactory));
        if (EffectiveToken is { Length: < 16 })
        {
            throw new PlaygroundConfigurationException($"The access token (--token or {TokenVariable}) must be at least 16 characters long; a short one can be guessed.");
        }
    }
}
