using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using V2V.AspNetCore;
using V2V.Playground.Security;
using V2V.Playground.Sessions;

namespace V2V.Playground.Hosting;

/// <summary>
/// The routes: <c>GET /</c> and <c>GET /NAME</c> (the page's files), <c>GET /api/info</c> (the backend and the choices
/// of the settings; never the key), and <c>/ws</c> (one browser session per WebSocket; same origin only).
/// </summary>
internal sealed partial class PlaygroundEndpoints(SessionContext context, SessionGate gate, ILogger logger)
{
    private readonly EmbeddedAssets _assets = new(typeof(PlaygroundEndpoints).Assembly, "playground/");

    public void Map(WebApplication app)
    {
        string[] getOrHead = [HttpMethods.Get, HttpMethods.Head];
        app.MapMethods("/", getOrHead, (HttpContext c) => _assets.ServeAsync(c, "index.html"));
        foreach (var name in _assets.Names.Where(n => n != "index.html"))
        {
            app.MapMethods("/" + name, getOrHead, (HttpContext c) => _assets.ServeAsync(c, name));
        }
        // The microphone's worklet and the count of what was played are the voice agent package's (one of each for every
        // page of this project).
        foreach (var shared in new[] { "voice-agent-capture.js", "voice-agent-played.js" })
        {
            app.MapMethods("/" + shared, getOrHead, (HttpContext c) => VoiceAgentEndpointRouteBuilderExtensions.ClientFiles.Value.ServeAsync(c, shared));
        }
        app.MapGet("/api/info", Info);
        app.Map("/ws", SessionAsync);
    }

    private IResult Info() => Results.Text(new JsonObject
    {
        ["backend"] = context.Backend.Kind,
        ["model"] = context.Backend.Model,
        ["endpoint"] = context.Backend.Endpoint,
        ["description"] = context.Backend.Describe(),
        ["voices"] = new JsonArray([.. SessionSettings.Voices.Select(v => (JsonNode?)v)]),
        ["turnModes"] = new JsonArray([.. SessionSettings.TurnModes.Select(v => (JsonNode?)v)]),
        ["outputSampleRate"] = SessionGraph.OutputSampleRate,
        ["sessions"] = gate.Live,
        ["maxSessions"] = gate.Capacity,
    }.ToJsonString(), "application/json; charset=utf-8");

    private async Task SessionAsync(HttpContext http)
    {
        if (!http.WebSockets.IsWebSocketRequest)
        {
            http.Response.StatusCode = StatusCodes.Status426UpgradeRequired;
            return;
        }
        if (!OriginCheck.Allows(http.Request, []))
        {
            LogForeignOrigin(logger, http.Request.Headers.Origin.ToString());
            http.Response.StatusCode = StatusCodes.Status403Forbidden;
            await http.Response.WriteAsync("Cross-origin WebSocket refused: the playground talks to its own page only.\n", http.RequestAborted).ConfigureAwait(false);
            return;
        }
        if (!gate.TryEnter(out var refusal))
        {
            // Accepted, then refused in words: a browser cannot read the body of a refused WebSocket handshake.
            using var refused = await http.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
            await SessionRefusal.SendAsync(refused, refusal!, gate.Capacity, http.RequestAborted).ConfigureAwait(false);
            return;
        }
        try
        {
            // A session ends when its page goes away or when the server stops, whichever comes first; a drain's
            // deadline ends it gracefully (see BrowserSession).
            var stopping = http.RequestServices.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
            using var ended = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, stopping);
            using var socket = await http.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
            await new BrowserSession(socket, context, logger).RunAsync(gate, ended.Token).ConfigureAwait(false);
        }
        finally
        {
            gate.Leave();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a WebSocket from the foreign origin {Origin}.")]
    private static partial void LogForeignOrigin(ILogger logger, string origin);
}
