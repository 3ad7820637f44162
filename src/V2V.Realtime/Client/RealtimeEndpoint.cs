using System.Collections.Specialized;
using System.Net;
using System.Web;
using V2V.Realtime.Protocol;

namespace V2V.Realtime.Client;

/// <summary>
/// Where and how to connect: the WebSocket URL and the handshake headers, worked out from the options of
/// OpenAI, Azure OpenAI or any other server (such as the local realtime server).
/// </summary>
public sealed class RealtimeEndpoint
{
    private RealtimeEndpoint(Uri uri, IReadOnlyList<KeyValuePair<string, string>> headers)
    {
        Uri = uri;
        Headers = headers;
    }

    /// <summary>The WebSocket URL.</summary>
    public Uri Uri { get; }

    /// <summary>The URL as it may be shown: secrets in the query replaced by <c>***</c>.</summary>
    public string DisplayUrl => SecretRedactor.RedactUrl(Uri);

    /// <summary>The headers of the handshake (they may hold the key: never log them).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; }

    /// <summary>
    /// Whether this is Azure OpenAI's preview endpoint (<c>/openai/realtime?api-version=...</c>), deprecated since
    /// 2026-04-30 in favour of <c>/openai/v1/realtime?model=DEPLOYMENT</c>. It is still served, in the beta dialect.
    /// </summary>
    public bool IsAzurePreview { get; private init; }

    /// <summary>
    /// The model the URL asks for (its <c>model=</c>): the session's model, which the service does not let a
    /// <c>session.update</c> change. Null for Azure OpenAI, whose URL names a deployment, and when the URL names none.
    /// </summary>
    public string? Model { get; private init; }

    /// <summary>
    /// Works out the endpoint, or throws a <see cref="RealtimeConfigurationException"/> whose
    /// <see cref="RealtimeConfigurationException.Option"/> names the setting of <see cref="RealtimeClientOptions"/> at fault.
    /// Nothing is connected.
    /// </summary>
    public static RealtimeEndpoint Create(RealtimeClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var baseUri = options.BaseUri ?? RealtimeClientOptions.OpenAIBaseUri;
        if (!baseUri.IsAbsoluteUri)
        {
            throw new RealtimeConfigurationException(nameof(options.BaseUri), $"BaseUri '{baseUri}' is not an absolute URI; use e.g. wss://api.openai.com, wss://RESOURCE.openai.azure.com or ws://127.0.0.1:8765.");
        }
        var scheme = baseUri.Scheme switch
        {
            "wss" or "https" => "wss",
            "ws" or "http" => "ws",
            _ => throw new RealtimeConfigurationException(nameof(options.BaseUri), $"BaseUri '{SecretRedactor.RedactUrl(baseUri)}' has scheme '{baseUri.Scheme}'; use wss:// (or ws:// for a loopback server)."),
        };
        if (scheme == "ws" && !IsLoopback(baseUri.Host))
        {
            throw new RealtimeConfigurationException(nameof(options.BaseUri), $"BaseUri '{SecretRedactor.RedactUrl(baseUri)}' is not encrypted; use wss://. Plain ws:// is allowed for loopback servers only (127.0.0.1, ::1, localhost).");
        }
        if (options.Dialect == RealtimeDialect.Beta && IsOpenAI(baseUri.Host))
        {
            // The service would answer beta_api_shape_disabled and close with 4000: say so before connecting.
            throw new RealtimeConfigurationException(nameof(options.Dialect),
                "The beta Realtime protocol was retired on api.openai.com on 2026-05-12 (the service answers beta_api_shape_disabled and closes the connection); set Dialect to GA. Beta remains for Azure OpenAI's preview endpoint and for servers that still speak it.");
        }

        var pathAndQuery = options.Path;
        if (string.IsNullOrWhiteSpace(pathAndQuery))
        {
            pathAndQuery = baseUri.PathAndQuery is "/" or "" ? DefaultPath(options.Vendor) : PathOfBase(baseUri);
        }
        if (!pathAndQuery.StartsWith('/'))
        {
            pathAndQuery = "/" + pathAndQuery;
        }

        var builder = new UriBuilder(scheme, baseUri.Host, baseUri.IsDefaultPort ? -1 : baseUri.Port);
        var q = pathAndQuery.IndexOf('?', StringComparison.Ordinal);
        builder.Path = q < 0 ? pathAndQuery : pathAndQuery[..q];
        var query = HttpUtility.ParseQueryString(q < 0 ? "" : pathAndQuery[(q + 1)..]);
        var preview = options.Vendor == RealtimeVendor.Azure
            ? AddAzureModel(options, builder.Path, query)
            : AddModel(options, query);
        builder.Query = query.ToString();

        return new RealtimeEndpoint(builder.Uri, HandshakeHeaders(options, builder.Uri))
        {
            IsAzurePreview = preview,
            KeyInApiKeyHeader = options.Vendor == RealtimeVendor.Azure,
            Model = options.Vendor == RealtimeVendor.Azure || string.IsNullOrEmpty(query["model"]) ? null : query["model"],
        };
    }

    // A base URI that is the API's root, as the services' own SDKs take it (https://api.openai.com/v1,
    // https://RESOURCE.openai.azure.com/openai/v1/), means its realtime endpoint; any other path is used whole.
    private static string PathOfBase(Uri baseUri)
    {
        var path = baseUri.AbsolutePath.TrimEnd('/');
        return path.EndsWith("/v1", StringComparison.OrdinalIgnoreCase) ? path + "/realtime" + baseUri.Query : baseUri.PathAndQuery;
    }

    private static string DefaultPath(RealtimeVendor vendor) => vendor == RealtimeVendor.Azure ? AzureGaPath : "/v1/realtime";

    private const string AzureGaPath = "/openai/v1/realtime";

    // model= goes into the query only when the path does not name a model or a deployment already.
    private static bool AddModel(RealtimeClientOptions options, NameValueCollection query)
    {
        if (!NamesModel(query) && !string.IsNullOrWhiteSpace(options.Model))
        {
            query["model"] = options.Model;
        }
        return false;
    }

    // Azure's GA form (/openai/v1/realtime?model=DEPLOYMENT), or its deprecated preview form (api-version and
    // deployment=DEPLOYMENT); returns whether it is the preview form.
    private static bool AddAzureModel(RealtimeClientOptions options, string path, NameValueCollection query)
    {
        var preview = !string.IsNullOrEmpty(query["api-version"]);
        if (!preview && !string.Equals(path.TrimEnd('/'), AzureGaPath, StringComparison.OrdinalIgnoreCase))
        {
            throw new RealtimeConfigurationException(nameof(options.Path),
                $"Path '{path}' is not an Azure OpenAI realtime endpoint. Leave Path empty for the GA endpoint {AzureGaPath}?model=DEPLOYMENT (Model = the deployment); the deprecated preview endpoint needs api-version and deployment, e.g. /openai/realtime?api-version=2025-04-01-preview&deployment=DEPLOYMENT.");
        }
        if (!preview && options.Dialect == RealtimeDialect.Beta)
        {
            throw new RealtimeConfigurationException(nameof(options.Dialect),
                $"Azure OpenAI's GA endpoint ({AzureGaPath}) speaks the GA protocol only; set Dialect to GA. Beta is spoken by its deprecated preview endpoint (/openai/realtime?api-version=...&deployment=DEPLOYMENT).");
        }
        if (!NamesModel(query))
        {
            if (string.IsNullOrWhiteSpace(options.Model))
            {
                throw new RealtimeConfigurationException(nameof(options.Model),
                    $"Azure OpenAI needs the deployment to connect to: set Model to the deployment's name (the endpoint becomes {AzureGaPath}?model=DEPLOYMENT).");
            }
            query[preview ? "deployment" : "model"] = options.Model;
        }
        return preview;
    }

    private static bool NamesModel(NameValueCollection query) =>
        !string.IsNullOrEmpty(query["model"]) || !string.IsNullOrEmpty(query["deployment"]);

    private static List<KeyValuePair<string, string>> HandshakeHeaders(RealtimeClientOptions options, Uri uri)
    {
        var headers = new List<KeyValuePair<string, string>>();
        var hasKey = !string.IsNullOrEmpty(options.ApiKey);
        var hasToken = !string.IsNullOrEmpty(options.BearerToken);
        if (hasKey && hasToken)
        {
            throw new RealtimeConfigurationException(nameof(options.BearerToken), "Set ApiKey or BearerToken, not both: the service takes one credential.");
        }
        if (options.ApiKeyProvider is not null && (hasKey || hasToken))
        {
            throw new RealtimeConfigurationException(nameof(options.ApiKeyProvider), $"Set ApiKeyProvider or {(hasKey ? "ApiKey" : "BearerToken")}, not both: the service takes one credential.");
        }
        if (options.ApiKeyProvider is not null)
        {
            // No header now: the provider's key is asked for at each connection (CredentialHeader).
        }
        else if (hasToken)
        {
            headers.Add(new("Authorization", "Bearer " + options.BearerToken));
        }
        else if (hasKey)
        {
            headers.Add(options.Vendor == RealtimeVendor.Azure
                ? new("api-key", options.ApiKey!)
                : new("Authorization", "Bearer " + options.ApiKey));
        }
        else if (!IsLoopback(uri.Host))
        {
            throw new RealtimeConfigurationException(nameof(options.ApiKey),
                $"ApiKey is required for {SecretRedactor.RedactUrl(uri)}: set it (on Azure OpenAI, or BearerToken to an Entra ID token), or connect to a loopback server such as the local realtime server, which needs none.");
        }
        if (options.Dialect == RealtimeDialect.Beta)
        {
            headers.Add(new("OpenAI-Beta", "realtime=v1"));
        }
        return headers;
    }

    /// <summary>The header that carries a key given at connection time (<see cref="RealtimeClientOptions.ApiKeyProvider"/>): as a fixed key's.</summary>
    internal KeyValuePair<string, string> CredentialHeader(string key) =>
        KeyInApiKeyHeader ? new("api-key", key) : new("Authorization", "Bearer " + key);

    // Azure OpenAI takes a key in its api-key header; OpenAI and other servers as a Bearer token.
    private bool KeyInApiKeyHeader { get; init; }

    private static bool IsOpenAI(string host) => string.Equals(host, "api.openai.com", StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether <paramref name="host"/> names this machine (localhost, 127.0.0.0/8, ::1).</summary>
    internal static bool IsLoopback(string host) =>
        string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase) ||
        (IPAddress.TryParse(host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
}
