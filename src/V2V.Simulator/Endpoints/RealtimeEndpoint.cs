using System.Net.WebSockets;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using V2V.Simulator.ClientSecrets;
using V2V.Simulator.Protocol;
using V2V.Simulator.Scripting;
using V2V.Simulator.Session;
using RealtimeDialect = V2V.Realtime.Protocol.RealtimeDialect;

namespace V2V.Simulator.Endpoints;

/// <summary>
/// The WebSocket handshake of the server's <see cref="ServiceProfile"/>: faults, path, an ephemeral key, query, a
/// standard key, dialect, then one <see cref="RealtimeSession"/> for the connection (started with the configuration of
/// the client secret it was opened with, if any). Each of the three URL forms is mapped so that the two the profile
/// does not serve answer 404 saying which profile runs and what it serves.
/// </summary>
internal sealed class RealtimeEndpoint(LocalRealtimeServerOptions options, SimulatorScript? script, ClientSecretStore secrets, ILoggerFactory loggerFactory)
{
    private readonly ILogger _logger = loggerFactory.CreateLogger("V2V.Simulator");

    /// <param name="context">The request.</param>
    /// <param name="pathOwner">The profile whose path was requested.</param>
    public async Task HandleAsync(HttpContext context, ServiceProfile pathOwner)
    {
        var profile = options.Profile;
        if (options.Faults.NextHandshakeRefusal() is { } refused)
        {
            _logger.LogInformation("Fault: refusing the handshake with {Status}", refused);
            await HandshakeErrors.RefusedAsync(context, profile, refused, options.Faults.RefuseHandshakeRetryAfter).ConfigureAwait(false);
            return;
        }

        if (pathOwner != profile)
        {
            await HandshakeErrors.WrongPathAsync(context, profile, pathOwner).ConfigureAwait(false);
            return;
        }

        // An ephemeral key is resolved first: a secret that names its model lets the client leave ?model= out.
        var protocols = context.WebSockets.WebSocketRequestedProtocols;
        var key = PresentedKey.Read(context.Request, profile, protocols);
        ClientSecret? secret = null;
        if (key.IsEphemeral && (secret = secrets.Find(key.Value!)) is null)
        {
            _logger.LogInformation("Refused a handshake: {Reason}", "unknown or expired ephemeral key");
            await HandshakeErrors.UnknownEphemeralKeyAsync(context, profile, key.Value!).ConfigureAwait(false);
            return;
        }

        if (secret?.Model is null && await HandshakeErrors.MissingQueryAsync(context, profile).ConfigureAwait(false))
        {
            return;
        }

        if (!key.IsEphemeral && !key.Opens(options.ApiKey))
        {
            _logger.LogInformation("Refused a handshake: {Reason}", key.Value is null ? "no key" : "wrong key");
            await HandshakeErrors.UnauthorizedAsync(context, profile, key.Value, key.ViaBearer).ConfigureAwait(false);
            return;
        }

        if (!context.WebSockets.IsWebSocketRequest)
        {
            await HandshakeErrors.NotWebSocketAsync(context, profile).ConfigureAwait(false);
            return;
        }

        var socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext
        {
            SubProtocol = protocols.Contains("realtime") ? "realtime" : null,
        }).ConfigureAwait(false);

        var stopping = context.RequestServices.GetService<IHostApplicationLifetime>()?.ApplicationStopping ?? CancellationToken.None;
        using var aborted = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);

        // OpenAI accepts the WebSocket of a beta client, then refuses it in the protocol; Azure's GA endpoint
        // speaks GA whatever the client asks; the preview endpoint speaks beta, header or not.
        if (profile == ServiceProfile.OpenAi && BetaShapeDetector.IsRequested(context.Request, protocols))
        {
            _logger.LogInformation("Refused a beta client: the beta shape is retired on the openai profile");
            await RetiredBetaRefusal.RefuseAsync(socket, _logger, aborted.Token).ConfigureAwait(false);
            return;
        }

        var query = context.Request.Query;
        var model = secret?.Model ?? (profile == ServiceProfile.AzurePreview ? query["deployment"].ToString() : query["model"].ToString());
        var dialect = profile == ServiceProfile.AzurePreview ? RealtimeDialect.Beta : RealtimeDialect.GA;
        _logger.LogInformation("Realtime connection: {Profile}, {Dialect}, model {Model}, {Key}", profile, dialect, model, secret is null ? "standard key" : "client secret");
        var session = new RealtimeSession(socket, DialectProfile.For(dialect), model, secret?.Session, options, script, _logger, aborted.Token);
        await session.RunAsync().ConfigureAwait(false);
    }
}
