using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using V2V.AspNetCore;
using V2V.Extension;
using V2V.Playground.Backend;
using V2V.Playground.Health;
using V2V.Playground.Telemetry;
using V2V.Playground.Hosting;
using V2V.Playground.Security;
using V2V.Simulator;
using V2V.Playground.Sessions;
using V2V.Playground.Telephony;
using V2V.Ten;

namespace V2V.Playground;

/// <summary>
/// The web playground: a page to talk with the agent through the browser's microphone and speakers, with live
/// transcripts and a timeline; each browser session runs a graph of its own in this process. Backend: OpenAI when
/// the agent has an API key, Azure when configured so, otherwise the local realtime server, started here.
/// </summary>
/// <example>
/// <code>
/// var options = new PlaygroundOptions();
/// options.Urls.Add("http://127.0.0.1:0");
/// await using var playground = await PlaygroundServer.StartAsync(options, cancellationToken);
/// Console.WriteLine(playground.PageUrl);
/// </code>
/// </example>
public sealed partial class PlaygroundServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string? _token;
    private readonly SessionGate _gate;
    private readonly SessionGate _calls;
    private readonly TimeSpan _drainTimeout;
    private readonly ILogger _logger;
    private int _disposed;

    private PlaygroundServer(WebApplication app, IReadOnlyList<Uri> addresses, BackendInfo backend, string? token, SessionGate gate, SessionGate calls, TimeSpan drainTimeout, ILogger logger)
    {
        _app = app;
        Addresses = addresses;
        Backend = backend;
        _token = token;
        _gate = gate;
        _calls = calls;
        _drainTimeout = drainTimeout;
        _logger = logger;
    }

    /// <summary>The addresses Kestrel listens on (ports resolved).</summary>
    public IReadOnlyList<Uri> Addresses { get; }

    /// <summary>Which backend the sessions use.</summary>
    public BackendInfo Backend { get; }

    /// <summary>The page's address to open, with the access token when there is one (it moves to a cookie on first use).</summary>
    public Uri PageUrl => _token is null ? Addresses[0] : new Uri(Addresses[0], "/?token=" + Uri.EscapeDataString(_token));

    /// <summary>Checks the options, starts the local realtime server if no key is configured, and starts listening.</summary>
    /// <exception cref="PlaygroundConfigurationException">An option is invalid, or a non-loopback address was asked for without an access token.</exception>
    /// <exception cref="IOException">An address is taken.</exception>
    public static async Task<PlaygroundServer> StartAsync(PlaygroundOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var urls = options.EffectiveUrls;
        var token = options.EffectiveToken;
        ListenAddresses.Check(urls, token is not null);

        // A session with no key is answered by the local realtime server, which the playground owns.
        var agent = OpenAIV2VAddon.Create(new KeylessEndpoint("the local realtime server", EmbeddedRealtimeServer.GetAsync));
        var resolved = Resolve(agent, options.ExtensionProperties, options.ResolveEnvironment);
        JsonObject[] agents = [resolved];
        if (options.Graph is { AgentNodes.Count: > 0 } appGraph)
        {
            // The app's first agent node decides the backend; every agent node's secrets are masked. Each node's own
            // properties, then the server's.
            agents = [.. appGraph.AgentNodes.Select(name => ResolveAppAgent(agent,
                AppSessionGraph.AgentProperties(appGraph.Graph.Nodes.First(n => n.Name == name).Property, options.ExtensionProperties), options.ResolveEnvironment))];
            resolved = agents[0];
        }
        var backend = BackendInfo.From(resolved);
        var logger = options.LoggerFactory.CreateLogger("V2V.Playground");
        var serviceUri = BackendInfo.ServiceUri(resolved);
        if (backend.Kind == "local")
        {
            // Started now, not at the first session: the log says where it is, and the first session does not wait for it.
            // It is the process's, shared with every extension, and may outlive this server and its logger factory: no logger.
            serviceUri = await EmbeddedRealtimeServer.GetAsync(cancellationToken).ConfigureAwait(false);
            LogLocalServer(logger, serviceUri);
        }
        var gate = new SessionGate(options.MaxSessions);
        var calls = new SessionGate(options.Telephony.MaxCalls);

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(options.LoggerFactory);
        builder.Services.AddSingleton<IHostLifetime, EmbeddedHostLifetime>();
        builder.WebHost.UseUrls([.. urls]);
        builder.WebHost.UseShutdownTimeout(TimeSpan.FromSeconds(5));
        HealthEndpoints.Register(builder.Services, gate, BackendProbe.For(serviceUri, TimeProvider.System));
        TelemetrySetup.Register(builder.Services, options.Telemetry, options.ResolveEnvironment);
        var app = builder.Build();
        var context = new SessionContext(agent, SessionGraph.TimeToolAddon(), (JsonObject)options.ExtensionProperties.DeepClone(), backend,
            PlaygroundSecrets.Of(agents), options.ResolveEnvironment, options.LoggerFactory,
            options.RefusedKeyFix ?? "Check the api_key property of the agent.", options.Graph);
        app.Use(SecurityHeaders.InvokeAsync);
        // Phone calls have a gate of their own (Twilio cannot send the page's token), so they branch off before it.
        new MediaStreamEndpoint(context, options.Telephony, calls, logger).Map(app);
        // Probes and scrapers carry no token and address the node by its IP.
        app.Use(new AccessGate(token, [HealthEndpoints.Liveness, HealthEndpoints.Readiness, .. options.Telemetry.Prometheus ? [TelemetrySetup.MetricsPath] : Array.Empty<string>()]).InvokeAsync);
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(15) });
        HealthEndpoints.Map(app);
        TelemetrySetup.Map(app, options.Telemetry);
        new PlaygroundEndpoints(context, gate, logger).Map(app);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);

        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses
            .Select(a => new Uri(a.Replace("://[::]", "://[::1]", StringComparison.Ordinal).Replace("://0.0.0.0", "://127.0.0.1", StringComparison.Ordinal) + "/")).ToList()
            ?? throw new InvalidOperationException("Kestrel reported no address.");
        var server = new PlaygroundServer(app, addresses, backend, token, gate, calls, options.DrainTimeout, logger);
        LogListening(logger, string.Join(", ", addresses), backend.Describe());
        return server;
    }

    /// <summary>
    /// Drains the node: at once it takes no new session (<c>/readyz</c> answers 503 <c>draining</c>, a new session is
    /// refused with a reason the page shows) and tells each live page why; the live sessions go on until they end or
    /// until <see cref="PlaygroundOptions.DrainTimeout"/>, when those left are ended as if their pages had stopped
    /// them (each graph stopped, so what it was writing is written). Still listening afterwards: then
    /// <see cref="StopAsync"/>. A second call waits for the same drain.
    /// </summary>
    /// <returns>True when every session ended on its own before the deadline.</returns>
    public async Task<bool> DrainAsync(CancellationToken cancellationToken = default)
    {
        // Browser sessions and phone calls alike: none new, the live ones let finish up to the deadline.
        var live = _gate.Live + _calls.Live;
        var empty = Task.WhenAll(_gate.BeginDrainAsync(_drainTimeout), _calls.BeginDrainAsync(_drainTimeout));
        LogDraining(_logger, live, _drainTimeout.TotalSeconds);
        if (await Task.WhenAny(empty, Task.Delay(_drainTimeout, cancellationToken)).ConfigureAwait(false) == empty)
        {
            LogDrained(_logger);
            return true;
        }
        LogDrainDeadline(_logger, _gate.Live + _calls.Live);
        _gate.EndRemaining();
        _calls.EndRemaining();
        // Each ends as a stopped page does: the graph's stop and the close are bounded by the session's own patience.
        await Task.WhenAny(empty, Task.Delay(TimeSpan.FromSeconds(30), cancellationToken)).ConfigureAwait(false);
        return false;
    }

    /// <summary>Stops listening and ends every browser session (each one's graph is stopped).</summary>
    public Task StopAsync(CancellationToken cancellationToken = default) => _app.StopAsync(cancellationToken);

    /// <summary>Stops the server and releases it.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        await StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    // The agent's properties resolved as the graph host will resolve them: a mistake is reported now, naming the property.
    private static JsonObject Resolve(ExtensionAddon agent, JsonObject serverProperties, Func<string, string?> environment)
    {
        try
        {
            var resolved = TenProperties.Resolve(agent.Manifest, agent.DefaultProperties, serverProperties, environment);
            // A graph may carry properties the extension does not know (TEN tolerates them); the server's own --set is a typo.
            var unknown = TenProperties.Undeclared(agent.Manifest, resolved);
            if (unknown.Count > 0)
            {
                throw new PlaygroundConfigurationException($"{agent.Name}: unknown property '{unknown[0]}'. Known properties: {string.Join(", ", agent.Manifest.PropertyTypes.Keys.Order(StringComparer.Ordinal))}.");
            }
            // Ranges and what the layers below refuse too, as a page's session would have them: refused now, not at
            // every session (--set idle_timeout_ms=2000 would start, and then no visitor's session would).
            OpenAIV2VAddon.CheckProperties(Sessions.SessionGraph.AgentProperties(Sessions.SessionSettings.Default, resolved));
            return resolved;
        }
        catch (TenPropertyException ex)
        {
            throw new PlaygroundConfigurationException(ex.Message);
        }
    }

    // A graph's agent node may carry properties the extension does not know (TEN tolerates them): only bad values are refused.
    private static JsonObject ResolveAppAgent(ExtensionAddon agent, JsonObject properties, Func<string, string?> environment)
    {
        try
        {
            return TenProperties.Resolve(agent.Manifest, agent.DefaultProperties, properties, environment);
        }
        catch (TenPropertyException ex)
        {
            throw new PlaygroundConfigurationException(ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "No API key configured: the local realtime server answers at {Uri} (in-process).")]
    private static partial void LogLocalServer(ILogger logger, Uri uri);

    [LoggerMessage(Level = LogLevel.Information, Message = "Draining: no new sessions; {Live} live sessions have up to {Seconds} s to end.")]
    private static partial void LogDraining(ILogger logger, int live, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Drained: no session left.")]
    private static partial void LogDrained(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Drain deadline: ending the {Live} sessions still running.")]
    private static partial void LogDrainDeadline(ILogger logger, int live);

    [LoggerMessage(Level = LogLevel.Information, Message = "Playground listening on {Addresses}; backend: {Backend}.")]
    private static partial void LogListening(ILogger logger, string addresses, string backend);
}
