using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using V2V.Voice;

namespace V2V.AspNetCore;

/// <summary>A voice agent in an ASP.NET Core app: <see cref="MapVoiceAgent"/>.</summary>
public static class VoiceAgentEndpointRouteBuilderExtensions
{
    /// <summary>The browser client's files (voice-agent.js and its worklets); the playground's page uses the capture worklet too.</summary>
    internal static readonly Lazy<EmbeddedAssets> ClientFiles = new(() => new EmbeddedAssets(typeof(VoiceAgentEndpointRouteBuilderExtensions).Assembly, "voice-agent/"));

    /// <summary>
    /// Serves a voice agent at <paramref name="pattern"/>: a WebSocket there is one voice session (the protocol is
    /// PROTOCOL.md in the package's repository), with the session options registered by <c>AddVoiceSessions</c> and
    /// changed per socket by <see cref="VoiceAgentEndpointOptions.ConfigureSession"/>; and the browser client beside it
    /// (<c>{pattern}/voice-agent.js</c>, an ES module, with its two AudioWorklets). Needs <c>app.UseWebSockets()</c> before
    /// it. Returns the group of these endpoints: add your authorization to it (<c>.RequireAuthorization()</c>).
    /// </summary>
    /// <exception cref="InvalidOperationException">The voice sessions' services are not registered.</exception>
    /// <exception cref="ArgumentException">An endpoint option is at fault (named).</exception>
    public static RouteGroupBuilder MapVoiceAgent(this IEndpointRouteBuilder endpoints, string pattern, Action<VoiceAgentEndpointOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentException.ThrowIfNullOrWhiteSpace(pattern);
        var options = new VoiceAgentEndpointOptions();
        configure?.Invoke(options);
        options.Validate();
        var services = endpoints.ServiceProvider;
        var factory = services.GetService<VoiceSessionFactory>()
            ?? throw new InvalidOperationException("MapVoiceAgent needs the voice sessions' services: call builder.Services.AddVoiceSessions() (V2V.Voice), bound to your configuration, before building the app.");
        var logger = services.GetService<ILoggerFactory>()?.CreateLogger("V2V.AspNetCore.VoiceAgent") ?? NullLogger.Instance;
        var stopping = services.GetService<IHostApplicationLifetime>()?.ApplicationStopping ?? CancellationToken.None;
        var metrics = new VoiceAgentMetrics(services.GetService<System.Diagnostics.Metrics.IMeterFactory>(), pattern);
        var endpoint = new VoiceAgentEndpoint(options, factory, new SessionSlots(options.MaxSessions), new ResumeTokens(), metrics, logger, stopping);

        var group = endpoints.MapGroup(pattern);
        group.Map("", http => AcceptAsync(http, endpoint));
        foreach (var name in ClientFiles.Value.Names)
        {
            group.MapGet(name, http => ClientFiles.Value.ServeAsync(http, name));
        }
        return group;
    }

    private static async Task AcceptAsync(HttpContext http, VoiceAgentEndpoint endpoint)
    {
        var options = endpoint.Options;
        if (!http.WebSockets.IsWebSocketRequest)
        {
            var upgrade = http.Request.Headers.Upgrade.ToString().Contains("websocket", StringComparison.OrdinalIgnoreCase);
            http.Response.StatusCode = upgrade ? StatusCodes.Status500InternalServerError : StatusCodes.Status400BadRequest;
            await http.Response.WriteAsync(upgrade
                ? "The app does not accept WebSockets: call app.UseWebSockets() before MapVoiceAgent."
                : "This is a voice agent's WebSocket endpoint: connect with a WebSocket (voice-agent.js does).", http.RequestAborted).ConfigureAwait(false);
            return;
        }
        if (!OriginCheck.Allows(http.Request, options.AllowedOrigins))
        {
            endpoint.Metrics.Refused("origin");
            http.Response.StatusCode = StatusCodes.Status403Forbidden;
            await http.Response.WriteAsync("A page of another origin may not open this voice agent's socket (VoiceAgentEndpointOptions.AllowedOrigins).", http.RequestAborted).ConfigureAwait(false);
            return;
        }
        // Pings find a page whose network vanished without a word: its session then waits for it to resume.
        using var socket = await http.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext
        {
            KeepAliveInterval = options.KeepAliveInterval,
            KeepAliveTimeout = options.KeepAliveInterval > TimeSpan.Zero ? options.KeepAliveInterval : Timeout.InfiniteTimeSpan,
        }).ConfigureAwait(false);
        using var link = new PageLink(http, socket, options.SendTimeout);
        await VoiceAgentConnection.ServeAsync(link, endpoint).ConfigureAwait(false);
    }
}
