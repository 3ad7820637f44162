using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using V2V.Simulator.ClientSecrets;
using V2V.Simulator.Protocol;
using V2V.Simulator.Session;

namespace V2V.Simulator.Endpoints;

/// <summary>
/// <c>POST {realtime path}/client_secrets</c>, as OpenAI (<c>/v1/realtime/client_secrets</c>) and Azure's GA endpoint
/// (<c>/openai/v1/realtime/client_secrets</c>) serve it: a standard key mints an ephemeral key (<c>ek_...</c>) that a
/// browser may present in its place until it expires, each session it opens starting with the secret's configuration.
/// Checked in this order: path, method, key, body (size, type, JSON, fields), room in the <see cref="ClientSecretStore"/>.
/// </summary>
internal sealed class ClientSecretsEndpoint(LocalRealtimeServerOptions options, ClientSecretStore secrets, ILoggerFactory loggerFactory)
{
    /// <summary>The largest body read (a session with many tools fits many times over); a larger one is answered 413.</summary>
    public const int MaxBodyBytes = 1 << 20;

    public const string PathSuffix = "/client_secrets";

    private readonly ILogger _logger = loggerFactory.CreateLogger("V2V.Simulator");

    /// <param name="context">The request.</param>
    /// <param name="pathOwner">The profile whose realtime path the request's path extends.</param>
    public async Task HandleAsync(HttpContext context, ServiceProfile pathOwner)
    {
        var profile = options.Profile;
        if (profile == ServiceProfile.AzurePreview || pathOwner == ServiceProfile.AzurePreview)
        {
            await ClientSecretErrors.NoEndpointAsync(context, profile).ConfigureAwait(false);
            return;
        }

        if (pathOwner != profile)
        {
            await HandshakeErrors.WrongPathAsync(context, profile, pathOwner).ConfigureAwait(false);
            return;
        }

        if (!HttpMethods.IsPost(context.Request.Method))
        {
            await ClientSecretErrors.MethodNotAllowedAsync(context, profile).ConfigureAwait(false);
            return;
        }

        var key = PresentedKey.Read(context.Request, profile, []);
        if (key.IsEphemeral || !key.Opens(options.ApiKey))
        {
            _logger.LogInformation("Refused to mint a client secret: {Reason}", key.IsEphemeral ? "an ephemeral key" : key.Value is null ? "no key" : "wrong key");
            await (key.IsEphemeral
                ? ClientSecretErrors.EphemeralKeyCannotMintAsync(context, profile)
                : HandshakeErrors.UnauthorizedAsync(context, profile, key.Value, key.ViaBearer)).ConfigureAwait(false);
            return;
        }

        if (await ReadBodyAsync(context.Request, context.RequestAborted).ConfigureAwait(false) is not { } body)
        {
            await ClientSecretErrors.BodyTooLargeAsync(context, profile, MaxBodyBytes).ConfigureAwait(false);
            return;
        }

        var refused = body.Length > 0 && !IsJson(context.Request.ContentType) ? NotJson(context.Request.ContentType) : null;
        var request = refused is null ? ClientSecretRequest.Read(body, profile.NamesTranscriptionDeployments(), out refused) : null;
        if (request is null)
        {
            await ClientSecretErrors.InvalidAsync(context, profile, refused!).ConfigureAwait(false);
            return;
        }

        await MintAsync(context, profile, request).ConfigureAwait(false);
    }

    private async Task MintAsync(HttpContext context, ServiceProfile profile, ClientSecretRequest request)
    {
        if (secrets.TryMint(request.Lifetime, request.Model, request.Session, out var live) is not { } secret)
        {
            _logger.LogWarning("Refused to mint a client secret: {Live} live secrets, the most kept", live);
            await ClientSecretErrors.StoreFullAsync(context, profile, live).ConfigureAwait(false);
            return;
        }

        _logger.LogInformation("Minted a client secret: expires at {ExpiresAt}, model {Model}, {Live} live", secret.ExpiresAt, secret.Model ?? "(the URL's)", live);
        await JsonAnswer.WriteAsync(context, 200, new JsonObject
        {
            ["value"] = secret.Value,
            ["expires_at"] = secret.ExpiresAt.ToUnixTimeSeconds(),
            // As session.created shows it, an mcp tool's authorization left out.
            ["session"] = SessionConfigWriter.ToJson(request.Config),
        }).ConfigureAwait(false);
    }

    /// <summary>The body, or null when it is over <see cref="MaxBodyBytes"/> (read no further than that).</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            return null;
        }

        using var body = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (body.Length + read > MaxBodyBytes)
            {
                return null;
            }

            body.Write(chunk, 0, read);
        }

        return body.ToArray();
    }

    private static bool IsJson(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var parsed) && string.Equals(parsed.MediaType, "application/json", StringComparison.OrdinalIgnoreCase);

    /// <summary>As OpenAI answers a body sent as a form or text: it reads only JSON.</summary>
    private static RealtimeError NotJson(string? contentType) => RealtimeError.Invalid(
        null,
        $"We could not parse the JSON body of your request: it was sent as '{contentType ?? "(no Content-Type)"}'. The API expects a JSON payload with Content-Type: application/json.",
        null,
        null);
}
