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

    /// <summary>Works out the endpoint, or throws a <see cref="RealtimeConfigurationException"/> that names the setting at fault.</summary>
    public static RealtimeEndpoint Create(RealtimeClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var baseUri = options.BaseUri ?? RealtimeClientOptions.OpenAIBaseUri;
        if (!baseUri.IsAbsoluteUri)
        {
            throw new RealtimeConfigurationException("base_uri", $"base_uri '{baseUri}' is not an absolute URI; use e.g. wss://api.openai.com or ws://127.0.0.1:8765.");
        }
        var scheme = baseUri.Scheme switch
        {
            "wss" or "https" => "wss",
            "ws" or "http" => "ws",
            _ => throw new RealtimeConfigurationException("base_uri", $"base_uri '{SecretRedactor.RedactUrl(baseUri)}' has scheme '{baseUri.Scheme}'; use wss:// (or ws:// for a loopback server)."),
        };
        if (scheme == "ws" && !IsLoopback(baseUri.Host))
        {
            throw new RealtimeConfigurationException("base_uri", $"base_uri '{SecretRedactor.RedactUrl(baseUri)}' is not encrypted; use wss://. Plain ws:// is allowed for loopback servers only (127.0.0.1, ::1, localhost).");
        }

        var pathAndQuery = options.Path;
        if (string.IsNullOrWhiteSpace(pathAndQuery))
        {
            pathAndQuery = baseUri.PathAndQuery is "/" or "" ? DefaultPath(options) : baseUri.PathAndQuery;
        }
        if (!pathAndQuery.StartsWith('/'))
        {
            pathAndQuery = "/" + pathAndQuery;
        }

        var builder = new UriBuilder(scheme, baseUri.Host, baseUri.IsDefaultPort ? -1 : baseUri.Port);
        var q = pathAndQuery.IndexOf('?', StringComparison.Ordinal);
        builder.Path = q < 0 ? pathAndQuery : pathAndQuery[..q];
        var query = HttpUtility.ParseQueryString(q < 0 ? "" : pathAndQuery[(q + 1)..]);
        AddModel(options, query);
        builder.Query = query.ToString();

        return new RealtimeEndpoint(builder.Uri, HandshakeHeaders(options, builder.Uri));
    }

    private static string DefaultPath(RealtimeClientOptions options) => options.Vendor == RealtimeVendor.Azure
        ? throw new RealtimeConfigurationException("path", "vendor 'azure' needs a path with api-version and deployment, e.g. /openai/realtime?api-version=2024-10-01-preview&deployment=gpt-4o-realtime-preview.")
        : "/v1/realtime";

    // model= goes into the query only when the path does not name a model or a deployment already.
    private static void AddModel(RealtimeClientOptions options, System.Collections.Specialized.NameValueCollection query)
    {
        var named = !string.IsNullOrEmpty(query["model"]) || !string.IsNullOrEmpty(query["deployment"]);
        if (options.Vendor == RealtimeVendor.Azure)
        {
            if (string.IsNullOrEmpty(query["api-version"]))
            {
                throw new RealtimeConfigurationException("path", "vendor 'azure' needs api-version in the path, e.g. /openai/realtime?api-version=2024-10-01-preview&deployment=NAME.");
            }
            if (!named)
            {
                if (string.IsNullOrWhiteSpace(options.Model))
                {
                    throw new RealtimeConfigurationException("path", "vendor 'azure' needs deployment=NAME in the path (or a model, used as the deployment).");
                }
                query["deployment"] = options.Model;
            }
            return;
        }
        if (!named && !string.IsNullOrWhiteSpace(options.Model))
        {
            query["model"] = options.Model;
        }
    }

    private static List<KeyValuePair<string, string>> HandshakeHeaders(RealtimeClientOptions options, Uri uri)
    {
        var headers = new List<KeyValuePair<string, string>>();
        if (!string.IsNullOrEmpty(options.ApiKey))
        {
            headers.Add(options.Vendor == RealtimeVendor.Azure
                ? new("api-key", options.ApiKey)
                : new("Authorization", "Bearer " + options.ApiKey));
        }
        else if (!IsLoopback(uri.Host))
        {
            throw new RealtimeConfigurationException("api_key", $"api_key is required for {SecretRedactor.RedactUrl(uri)}; set it (e.g. from ${{env:OPENAI_API_KEY}}), or use the local realtime server, which needs none.");
        }
        if (options.Dialect == RealtimeDialect.Beta)
        {
            headers.Add(new("OpenAI-Beta", "realtime=v1"));
        }
        return headers;
    }

    private static bool IsLoopback(string host) =>
        string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase) ||
        (IPAddress.TryParse(host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
}
