using System.Globalization;
using Microsoft.AspNetCore.Http;
using static V2V.Simulator.Endpoints.JsonAnswer;

namespace V2V.Simulator.Endpoints;

/// <summary>
/// HTTP error answers to a refused handshake, worded and shaped as the profile's service does (see
/// <see cref="JsonAnswer"/>). Where the local server differs from the service (a path of another profile), the
/// message says how to fix it.
/// </summary>
internal static class HandshakeErrors
{
    private const string AzureUnauthorizedKey =
        "Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.";

    private const string AzureUnauthorizedToken =
        "Unauthorized. Access token is missing, invalid, audience is incorrect (https://cognitiveservices.azure.com), or have expired.";

    /// <summary>The injected <c>RefuseHandshakeStatusCode</c> fault: a rate limit (429) or an overload, with <c>Retry-After</c> when given.</summary>
    public static Task RefusedAsync(HttpContext context, ServiceProfile profile, int status, TimeSpan? retryAfter)
    {
        var seconds = retryAfter is { } wait ? ((long)wait.TotalSeconds).ToString(CultureInfo.InvariantCulture) : null;
        if (seconds is not null)
        {
            context.Response.Headers.RetryAfter = seconds;
        }
        return (profile.IsAzure(), status) switch
        {
            (true, 429) => AzureErrorAsync(context, status, "429",
                $"Requests to the Realtime API have exceeded the call rate limit of your current tier. Please retry after {seconds ?? "60"} seconds. (injected fault)"),
            (true, _) => AzureErrorAsync(context, status, status.ToString(CultureInfo.InvariantCulture), "The service is temporarily unable to process your request. Please try again later. (injected fault)"),
            (false, 429) => OpenAiErrorAsync(context, status,
                $"Rate limit reached for requests. Please try again in {seconds ?? "1"}s. (injected fault)", "requests", "rate_limit_exceeded"),
            _ => OpenAiErrorAsync(context, status, "The server is currently overloaded with other requests. Sorry about that! (injected fault)", "server_error", null),
        };
    }

    /// <summary>A path the server maps but its profile does not serve.</summary>
    public static Task WrongPathAsync(HttpContext context, ServiceProfile profile, ServiceProfile pathOwner)
    {
        var running = $"This local realtime server runs the '{ServiceProfileNames.Format(profile)}' profile, which serves {profile.PathForm()}; " +
            $"{pathOwner.Path()} is served by the '{ServiceProfileNames.Format(pathOwner)}' profile (--profile {ServiceProfileNames.Format(pathOwner)}).";
        return profile switch
        {
            ServiceProfile.OpenAi => OpenAiErrorAsync(context, 404, $"Invalid URL ({context.Request.Method} {context.Request.Path}). {running}", "invalid_request_error", null),
            ServiceProfile.Azure when pathOwner == ServiceProfile.AzurePreview => AzureErrorAsync(context, 404, "404",
                $"Resource not found. The preview endpoint {pathOwner.PathForm()} is deprecated: use the GA endpoint {profile.PathForm()}. {running}"),
            _ => AzureErrorAsync(context, 404, "404", $"Resource not found. {running}"),
        };
    }

    /// <summary>Answers, and returns true, when the query lacks what the profile's endpoint needs.</summary>
    public static async Task<bool> MissingQueryAsync(HttpContext context, ServiceProfile profile)
    {
        var query = context.Request.Query;
        switch (profile)
        {
            case ServiceProfile.Azure when string.IsNullOrEmpty(query["model"]):
                await AzureErrorAsync(context, 400, "BadRequest", $"Missing required query parameter 'model': the name of your realtime model deployment, e.g. {profile.Path()}{profile.ExampleQuery()}.").ConfigureAwait(false);
                return true;
            case ServiceProfile.AzurePreview when string.IsNullOrEmpty(query["api-version"]) || string.IsNullOrEmpty(query["deployment"]):
                var missing = string.IsNullOrEmpty(query["api-version"]) ? "api-version" : "deployment";
                await AzureErrorAsync(context, 404, "404", $"Resource not found: the query parameter '{missing}' is missing; the preview endpoint is {profile.Path()}{profile.ExampleQuery()}.").ConfigureAwait(false);
                return true;
            default:
                return false;
        }
    }

    /// <summary>No key, or a wrong one; the key itself is never echoed whole.</summary>
    public static Task UnauthorizedAsync(HttpContext context, ServiceProfile profile, string? key, bool viaBearer)
    {
        if (profile.IsAzure())
        {
            return AzureErrorAsync(context, 401, "401", viaBearer ? AzureUnauthorizedToken : AzureUnauthorizedKey);
        }

        return key is null
            ? OpenAiErrorAsync(context, 401, "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).", "invalid_request_error", null)
            : OpenAiErrorAsync(context, 401, $"Incorrect API key provided: {Redact(key)}. You can find your API key at https://platform.openai.com/account/api-keys.", "invalid_request_error", "invalid_api_key");
    }

    /// <summary>
    /// An ephemeral key (<c>ek_...</c>) this server never minted, or one past its <c>expires_at</c>: refused whatever
    /// <see cref="LocalRealtimeServerOptions.ApiKey"/> is, as the service refuses a key it does not know.
    /// </summary>
    public static Task UnknownEphemeralKeyAsync(HttpContext context, ServiceProfile profile, string key)
    {
        var message = $"Incorrect API key provided: {Redact(key)}. The ephemeral key is unknown or has expired: mint a new one with POST {profile.Path()}/client_secrets.";
        return profile.IsAzure()
            ? AzureErrorAsync(context, 401, "401", message)
            : OpenAiErrorAsync(context, 401, message, "invalid_request_error", "invalid_api_key");
    }

    /// <summary>A plain HTTP request on the WebSocket endpoint.</summary>
    public static Task NotWebSocketAsync(HttpContext context, ServiceProfile profile) => profile.IsAzure()
        ? AzureErrorAsync(context, 426, "426", "This endpoint only accepts WebSocket connections.")
        : OpenAiErrorAsync(context, 426, "This endpoint only accepts WebSocket connections.", "invalid_request_error", null);

    /// <summary>Shows a key as OpenAI does in its 401 message: only its ends.</summary>
    public static string Redact(string key) => key.Length <= 8 ? "***" : $"{key[..3]}{new string('*', 8)}{key[^4..]}";
}
