using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using V2V.Simulator.Protocol;
using V2V.Simulator.Scripting;
using V2V.Simulator.Session;

namespace V2V.Simulator.Endpoints;

/// <summary>The URL forms the server answers, each with its way of authenticating and of choosing the dialect.</summary>
internal enum EndpointKind
{
    /// <summary><c>/v1/realtime?model=...</c>: Bearer key; <c>OpenAI-Beta: realtime=v1</c> selects beta, else GA.</summary>
    OpenAi,

    /// <summary><c>/openai/realtime?api-version=...&amp;deployment=...</c>: <c>api-key</c> header; Azure's preview protocol, beta.</summary>
    AzurePreview,

    /// <summary><c>/openai/v1/realtime?model=...</c>: <c>api-key</c> header; Azure's GA protocol (beta with the OpenAI-Beta header).</summary>
    AzureV1,
}

/// <summary>
/// The WebSocket handshake: faults, authentication, dialect, then one <see cref="RealtimeSession"/> for the
/// connection. Browsers cannot set headers on a WebSocket, so, as OpenAI does, the key and the beta flag are also
/// read from the subprotocols <c>openai-insecure-api-key.KEY</c> and <c>openai-beta.realtime-v1</c>.
/// </summary>
internal sealed class RealtimeEndpoint(LocalRealtimeServerOptions options, SimulatorScript? script, ILoggerFactory loggerFactory)
{
    private const string KeyProtocol = "openai-insecure-api-key.";
    private readonly ILogger _logger = loggerFactory.CreateLogger("V2V.Simulator");

    public async Task HandleAsync(HttpContext context, EndpointKind kind)
    {
        var azure = kind != EndpointKind.OpenAi;
        if (options.Faults.RefuseHandshakeStatusCode is { } refused)
        {
            _logger.LogInformation("Fault: refusing the handshake with {Status}", refused);
            await HandshakeErrors.OpenAiAsync(context, refused, "The server is currently overloaded with other requests. Sorry about that! (injected fault)", "server_error", null).ConfigureAwait(false);
            return;
        }

        var query = context.Request.Query;
        if (kind == EndpointKind.AzurePreview && (string.IsNullOrEmpty(query["api-version"]) || string.IsNullOrEmpty(query["deployment"])))
        {
            await HandshakeErrors.AzureAsync(context, 404, "404", "Resource not found: the Azure form needs ?api-version=...&deployment=...").ConfigureAwait(false);
            return;
        }

        var protocols = context.WebSockets.WebSocketRequestedProtocols;
        if (options.ApiKey is { } expected && !await AuthenticateAsync(context, azure, protocols, expected).ConfigureAwait(false))
        {
            return;
        }

        if (!context.WebSockets.IsWebSocketRequest)
        {
            await HandshakeErrors.OpenAiAsync(context, 426, "This endpoint only accepts WebSocket connections.", "invalid_request_error", null).ConfigureAwait(false);
            return;
        }

        var betaRequested = context.Request.Headers["OpenAI-Beta"].Any(v => v?.Contains("realtime=v1", StringComparison.OrdinalIgnoreCase) == true)
            || protocols.Contains("openai-beta.realtime-v1");
        var dialect = kind == EndpointKind.AzurePreview || betaRequested ? RealtimeDialect.Beta : RealtimeDialect.Ga;
        var model = kind == EndpointKind.AzurePreview ? query["deployment"].ToString() : query["model"].ToString();

        var socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext
        {
            SubProtocol = protocols.Contains("realtime") ? "realtime" : null,
        }).ConfigureAwait(false);

        var stopping = context.RequestServices.GetService<IHostApplicationLifetime>()?.ApplicationStopping ?? CancellationToken.None;
        using var aborted = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        _logger.LogInformation("Realtime connection: {Kind}, {Dialect}, model {Model}", kind, dialect, model);
        var session = new RealtimeSession(socket, DialectProfile.For(dialect), model, options, script, _logger, aborted.Token);
        await session.RunAsync().ConfigureAwait(false);
    }

    private async Task<bool> AuthenticateAsync(HttpContext context, bool azure, IList<string> protocols, string expected)
    {
        string? key = null;
        var authorization = context.Request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            key = authorization["Bearer ".Length..].Trim();
        }

        if (azure && context.Request.Headers.TryGetValue("api-key", out var apiKey))
        {
            key = apiKey.ToString();
        }

        key ??= protocols.FirstOrDefault(p => p.StartsWith(KeyProtocol, StringComparison.Ordinal))?[KeyProtocol.Length..];
        if (key is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(expected)))
        {
            return true;
        }

        _logger.LogInformation("Refused a handshake: {Reason}", key is null ? "no key" : "wrong key");
        if (azure)
        {
            await HandshakeErrors.AzureAsync(context, 401, "401", "Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.").ConfigureAwait(false);
        }
        else if (key is null)
        {
            await HandshakeErrors.OpenAiAsync(context, 401, "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).", "invalid_request_error", null).ConfigureAwait(false);
        }
        else
        {
            await HandshakeErrors.OpenAiAsync(context, 401, $"Incorrect API key provided: {HandshakeErrors.Redact(key)}. You can find your API key at https://platform.openai.com/account/api-keys.", "invalid_request_error", "invalid_api_key").ConfigureAwait(false);
        }

        return false;
    }
}
