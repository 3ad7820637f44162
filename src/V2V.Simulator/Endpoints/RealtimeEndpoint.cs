using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using V2V.Simulator.Protocol;
using V2V.Simulator.Scripting;
using V2V.Simulator.Session;
using RealtimeDialect = V2V.Realtime.Protocol.RealtimeDialect;

namespace V2V.Simulator.Endpoints;

/// <summary>
/// The WebSocket handshake of the server's <see cref="ServiceProfile"/>: faults, path, query, authentication,
/// dialect, then one <see cref="RealtimeSession"/> for the connection. Each of the three URL forms is mapped so
/// that the two the profile does not serve answer 404 saying which profile runs and what it serves.
/// </summary>
internal sealed class RealtimeEndpoint(LocalRealtimeServerOptions options, SimulatorScript? script, ILoggerFactory loggerFactory)
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

        if (await HandshakeErrors.MissingQueryAsync(context, profile).ConfigureAwait(false))
        {
            return;
        }

        var protocols = context.WebSockets.WebSocketRequestedProtocols;
        if (options.ApiKey is { } expected && !await AuthenticateAsync(context, profile, protocols, expected).ConfigureAwait(false))
        {
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
        var model = profile == ServiceProfile.AzurePreview ? query["deployment"].ToString() : query["model"].ToString();
        var dialect = profile == ServiceProfile.AzurePreview ? RealtimeDialect.Beta : RealtimeDialect.GA;
        _logger.LogInformation("Realtime connection: {Profile}, {Dialect}, model {Model}", profile, dialect, model);
        var session = new RealtimeSession(socket, DialectProfile.For(dialect), model, options, script, _logger, aborted.Token);
        await session.RunAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// The profile's ways to present the key: OpenAI takes a Bearer key, or, from browsers (which cannot set
    /// headers on a WebSocket), the subprotocol <c>openai-insecure-api-key.KEY</c>; Azure takes the
    /// <c>api-key</c> header or a Bearer token (Entra ID; here the same key stands for the token).
    /// </summary>
    private async Task<bool> AuthenticateAsync(HttpContext context, ServiceProfile profile, IList<string> protocols, string expected)
    {
        const string keyProtocol = "openai-insecure-api-key.";
        string? key = null;
        var viaBearer = false;
        var authorization = context.Request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            key = authorization["Bearer ".Length..].Trim();
            viaBearer = true;
        }

        if (profile.IsAzure() && context.Request.Headers.TryGetValue("api-key", out var apiKey))
        {
            key = apiKey.ToString();
            viaBearer = false;
        }

        if (!profile.IsAzure())
        {
            key ??= protocols.FirstOrDefault(p => p.StartsWith(keyProtocol, StringComparison.Ordinal))?[keyProtocol.Length..];
        }

        if (key is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(expected)))
        {
            return true;
        }

        _logger.LogInformation("Refused a handshake: {Reason}", key is null ? "no key" : "wrong key");
        await HandshakeErrors.UnauthorizedAsync(context, profile, key, viaBearer).ConfigureAwait(false);
        return false;
    }
}
