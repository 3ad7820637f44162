using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using V2V.Realtime.Protocol;

namespace V2V.Realtime.Client;

/// <summary>
/// <c>POST {realtime path}/client_secrets</c> (OpenAI <c>/v1/realtime/client_secrets</c>, Azure OpenAI
/// <c>/openai/v1/realtime/client_secrets</c>): the REST call that makes an ephemeral key, with the client's credentials.
/// </summary>
internal static class ClientSecretRequest
{
    /// <summary>The most of an answer read: a key and a session object, not a page.</summary>
    private const int MaxAnswerBytes = 1024 * 1024;

    // One pooled handler for the process, as HttpClient is meant to be used; connections renewed for DNS changes.
    private static readonly HttpClient Http = new(new SocketsHttpHandler
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        UseCookies = false,
        AllowAutoRedirect = false,
    })
    {
        Timeout = Timeout.InfiniteTimeSpan, // each request has the client's ConnectTimeout
        MaxResponseContentBufferSize = MaxAnswerBytes,
    };

    public static async Task<RealtimeClientSecret> SendAsync(RealtimeEndpoint endpoint, RealtimeClientOptions options, RealtimeClientSecretOptions? secret, CancellationToken cancellationToken)
    {
        var uri = UriOf(endpoint, options);
        var url = SecretRedactor.RedactUrl(uri);
        using var request = new HttpRequestMessage(HttpMethod.Post, uri)
        {
            Content = new StringContent(Body(secret, endpoint, options).ToJsonString(), Encoding.UTF8, "application/json"),
        };
        foreach (var (name, value) in endpoint.Headers)
        {
            if (!string.Equals(name, "OpenAI-Beta", StringComparison.OrdinalIgnoreCase))
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.ConnectTimeout);
        HttpResponseMessage response;
        byte[] answer;
        try
        {
            response = await Http.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token).ConfigureAwait(false);
            answer = await response.Content.ReadAsByteArrayAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            var why = ex is OperationCanceledException ? $"no answer within {options.ConnectTimeout.TotalSeconds:F0} s" : HandshakeFailures.Mask(ex.Message, options);
            throw new RealtimeRequestException($"Making a client secret at {url} failed: {why}.", url, null, ex);
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw Refused(url, (int)response.StatusCode, ServiceRefusal.Read(response.Headers, answer, TimeProvider.System.GetUtcNow()), options);
            }
            return Read(answer, url);
        }
    }

    /// <summary>The REST URL beside the WebSocket's: same host, <c>https</c> for <c>wss</c>, the realtime path + <c>/client_secrets</c>.</summary>
    private static Uri UriOf(RealtimeEndpoint endpoint, RealtimeClientOptions options)
    {
        if (endpoint.IsAzurePreview || options.Dialect == RealtimeDialect.Beta)
        {
            throw new RealtimeConfigurationException(nameof(options.Dialect),
                "Client secrets are a GA feature: Azure OpenAI's preview endpoint and the beta protocol have none. Use the GA endpoint (Dialect GA; on Azure, /openai/v1/realtime).");
        }
        if (options.ApiKeyProvider is not null)
        {
            throw new RealtimeConfigurationException(nameof(options.ApiKey),
                "Making a client secret needs the API key (ApiKey, or BearerToken on Azure): a key from ApiKeyProvider may be an ephemeral one, which cannot make another. Make secrets on your server, with its key.");
        }
        var builder = new UriBuilder(endpoint.Uri)
        {
            Scheme = endpoint.Uri.Scheme == "wss" ? Uri.UriSchemeHttps : Uri.UriSchemeHttp,
            Query = "",
        };
        builder.Path = builder.Path.TrimEnd('/') + "/client_secrets";
        if (endpoint.Uri.IsDefaultPort)
        {
            builder.Port = -1;
        }
        return builder.Uri;
    }

    private static JsonObject Body(RealtimeClientSecretOptions? secret, RealtimeEndpoint endpoint, RealtimeClientOptions options)
    {
        var body = new JsonObject();
        if (secret?.ExpiresAfter is { } lifetime)
        {
            if (lifetime < RealtimeClientSecretOptions.MinExpiresAfter || lifetime > RealtimeClientSecretOptions.MaxExpiresAfter || lifetime.Ticks % TimeSpan.TicksPerSecond != 0)
            {
                throw new ArgumentOutOfRangeException(nameof(secret), lifetime,
                    "ExpiresAfter must be whole seconds from 10 s to 2 h (the service's range); null takes its default of 10 minutes.");
            }
            body["expires_after"] = new JsonObject { ["anchor"] = "created_at", ["seconds"] = (long)lifetime.TotalSeconds };
        }

        var session = (JsonObject?)secret?.Session?.DeepClone() ?? [];
        session["type"] ??= "realtime";
        // The model of the URL (OpenAI's model=, Azure's deployment), unless the session names one.
        var model = endpoint.Model ?? (options.Vendor == RealtimeVendor.Azure ? options.Model : null);
        if (session["model"] is null && !string.IsNullOrWhiteSpace(model))
        {
            session["model"] = model;
        }
        body["session"] = session;
        return body;
    }

    private static RealtimeClientSecret Read(byte[] answer, string url)
    {
        try
        {
            using var json = JsonDocument.Parse(answer);
            var root = json.RootElement;
            if (root.TryGetProperty("value", out var value) && value.ValueKind == JsonValueKind.String && !string.IsNullOrEmpty(value.GetString())
                && root.TryGetProperty("expires_at", out var expiresAt) && expiresAt.TryGetInt64(out var seconds))
            {
                var session = root.TryGetProperty("session", out var s) ? s.Clone() : default;
                return new RealtimeClientSecret(value.GetString()!, DateTimeOffset.FromUnixTimeSeconds(seconds), session);
            }
        }
        catch (JsonException)
        {
            // Below: the same answer for a body that is not JSON.
        }
        throw new RealtimeRequestException($"The answer of {url} is not a client secret (it needs a string 'value' and an integer 'expires_at').", url, 200);
    }

    private static RealtimeRequestException Refused(string url, int status, ServiceRefusal refusal, RealtimeClientOptions options)
    {
        // As a refused handshake is worded: the reason masked by its look and by the credentials sent, the wait asked for.
        var reason = refusal.Reason is { } said ? HandshakeFailures.Mask(said, options) : null;
        var field = refusal.Param is { } param ? $" (field '{param}')" : "";
        var check = status is 401 or 403 ? " Check ApiKey (BearerToken for an Entra ID token): only the API key, not an ephemeral key, can make client secrets." : "";
        return new RealtimeRequestException(
            $"Making a client secret at {url} was refused with HTTP {status}{HandshakeFailures.Said(reason, ": ")}{field}.{HandshakeFailures.Wait(refusal.RetryAfter)}{check}",
            url, status)
        { Reason = reason, ErrorCode = refusal.Code, Param = refusal.Param, RetryAfter = refusal.RetryAfter };
    }
}
