using System.Globalization;
using Microsoft.AspNetCore.Http;
using V2V.Simulator.ClientSecrets;
using V2V.Simulator.Protocol;
using static V2V.Simulator.Endpoints.JsonAnswer;

namespace V2V.Simulator.Endpoints;

/// <summary>
/// HTTP error answers of <c>POST .../client_secrets</c>, in the profile's error body (see <see cref="JsonAnswer"/>);
/// a refused key is answered as a refused handshake (<see cref="HandshakeErrors.UnauthorizedAsync"/>).
/// </summary>
internal static class ClientSecretErrors
{
    /// <summary>Azure's preview endpoint has no client secrets: on that profile, or at its path, there is nothing to mint.</summary>
    public static Task NoEndpointAsync(HttpContext context, ServiceProfile profile)
    {
        var message = $"This local realtime server runs the '{ServiceProfileNames.Format(profile)}' profile; the preview endpoint " +
            $"({ServiceProfile.AzurePreview.Path()}) has no client secrets: they are minted at {ServiceProfile.OpenAi.Path()}/client_secrets (--profile openai) " +
            $"and {ServiceProfile.Azure.Path()}/client_secrets (--profile azure).";
        return profile.IsAzure()
            ? AzureErrorAsync(context, 404, "404", $"Resource not found. {message}")
            : OpenAiErrorAsync(context, 404, $"Invalid URL ({context.Request.Method} {context.Request.Path}). {message}", "invalid_request_error", null);
    }

    public static Task MethodNotAllowedAsync(HttpContext context, ServiceProfile profile)
    {
        context.Response.Headers.Allow = HttpMethods.Post;
        var message = $"Method {context.Request.Method} is not allowed on {context.Request.Path}: client secrets are minted with POST.";
        return profile.IsAzure()
            ? AzureErrorAsync(context, 405, "405", message)
            : OpenAiErrorAsync(context, 405, message, "invalid_request_error", null);
    }

    /// <summary>An ephemeral key presented to mint another: only a standard key may, or one leaked key would mint keys without end.</summary>
    public static Task EphemeralKeyCannotMintAsync(HttpContext context, ServiceProfile profile)
    {
        var standard = profile.IsAzure() ? "the resource's api-key (or an Entra ID token)" : "your standard API key (Authorization: Bearer YOUR_KEY)";
        var message = $"An ephemeral key (ek_...) cannot create client secrets: use {standard}.";
        return profile.IsAzure()
            ? AzureErrorAsync(context, 401, "401", message)
            : OpenAiErrorAsync(context, 401, message, "invalid_request_error", "invalid_api_key");
    }

    public static Task BodyTooLargeAsync(HttpContext context, ServiceProfile profile, int maxBytes)
    {
        var message = $"The request body exceeds the maximum size of {maxBytes.ToString(CultureInfo.InvariantCulture)} bytes.";
        return profile.IsAzure()
            ? AzureErrorAsync(context, 413, "413", message)
            : OpenAiErrorAsync(context, 413, message, "invalid_request_error", "request_too_large");
    }

    /// <summary>
    /// A refused body, as the service words the same refusal of a <c>session.update</c>. Azure's body has no
    /// <c>param</c>: its message names it when the message alone does not.
    /// </summary>
    public static Task InvalidAsync(HttpContext context, ServiceProfile profile, RealtimeError error)
    {
        if (!profile.IsAzure())
        {
            return OpenAiErrorAsync(context, 400, error.Message, error.Type, error.Code, error.Param);
        }

        var message = error.Param is { } param && !error.Message.Contains($"'{param}'", StringComparison.Ordinal)
            ? $"Invalid '{param}': {error.Message}"
            : error.Message;
        return AzureErrorAsync(context, 400, error.Code ?? "BadRequest", message);
    }

    public static Task StoreFullAsync(HttpContext context, ServiceProfile profile, int live)
    {
        var message = $"Too many live client secrets: {live.ToString(CultureInfo.InvariantCulture)} have not expired, the most this local realtime server keeps. " +
            $"Retry when some have expired (each lives {ClientSecretRequest.MinSeconds}-{ClientSecretRequest.MaxSeconds} seconds, {ClientSecretRequest.DefaultSeconds} by default).";
        return profile.IsAzure()
            ? AzureErrorAsync(context, 429, "429", message)
            : OpenAiErrorAsync(context, 429, message, "requests", "rate_limit_exceeded");
    }
}
