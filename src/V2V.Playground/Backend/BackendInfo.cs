using System.Text.Json.Nodes;

namespace V2V.Playground.Backend;

/// <summary>
/// Which realtime service the sessions talk to, as the startup log and the page show it. It holds no secret: the key
/// stays in the server's properties and never gets here.
/// </summary>
/// <param name="Kind"><c>local</c> (the local realtime server, in-process), <c>openai</c> or <c>azure</c>.</param>
/// <param name="Model">The model asked for; on Azure <c>deployment NAME</c> (GA), or the deprecated preview path.</param>
/// <param name="Endpoint">The service's host, e.g. <c>api.openai.com</c>, or <c>in-process</c>.</param>
public sealed record BackendInfo(string Kind, string Model, string Endpoint)
{
    /// <summary>A line for the log and the page, e.g. <c>OpenAI (api.openai.com), model gpt-realtime</c>.</summary>
    public string Describe() => Kind switch
    {
        "local" => $"the local realtime server (in-process echo agent, no API key), model {Model}",
        "azure" => $"Azure OpenAI ({Endpoint}), {Model}",
        _ => $"OpenAI ({Endpoint}), model {Model}",
    };

    /// <summary>Says which backend resolved <c>openai_v2v</c> properties select (as the extension decides it).</summary>
    public static BackendInfo From(JsonObject resolvedProperties)
    {
        ArgumentNullException.ThrowIfNull(resolvedProperties);
        var key = Text(resolvedProperties, "api_key");
        var baseUri = Text(resolvedProperties, "base_uri");
        var model = Text(resolvedProperties, "model") is { Length: > 0 } m ? m : "gpt-realtime";
        if (key.Length == 0 && baseUri.Length == 0)
        {
            return new BackendInfo("local", model, "in-process");
        }
        var host = Uri.TryCreate(baseUri, UriKind.Absolute, out var uri) ? uri.Authority : "api.openai.com";
        if (Text(resolvedProperties, "vendor").Equals("azure", StringComparison.OrdinalIgnoreCase))
        {
            var path = Text(resolvedProperties, "path");
            return new BackendInfo("azure", path.Length > 0 ? RedactQuery(path) : "deployment " + model, host);
        }
        return new BackendInfo("openai", model, host);
    }

    /// <summary>The realtime service's address as resolved properties give it (<c>base_uri</c>, else OpenAI's), for a reachability probe.</summary>
    internal static Uri ServiceUri(JsonObject resolvedProperties) =>
        Uri.TryCreate(Text(resolvedProperties, "base_uri"), UriKind.Absolute, out var uri) ? uri : new Uri("wss://api.openai.com");

    private static string Text(JsonObject properties, string name) =>
        properties[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s.Trim() : "";

    // An Azure path carries api-version and deployment, and could carry a key someone pasted into it: keep the names only.
    private static string RedactQuery(string path)
    {
        var q = path.IndexOf('?', StringComparison.Ordinal);
        if (q < 0)
        {
            return path;
        }
        var kept = path[(q + 1)..].Split('&').Where(p => p.StartsWith("deployment=", StringComparison.OrdinalIgnoreCase) || p.StartsWith("api-version=", StringComparison.OrdinalIgnoreCase));
        return path[..q] + "?" + string.Join('&', kept);
    }
}
