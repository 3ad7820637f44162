using System.Net;
using System.Text.Json;

namespace V2V.Playground.Tests.Support;

/// <summary>GETs of the health endpoints as a probe sends them: no token, no cookie.</summary>
internal static class Probes
{
    public static async Task<(HttpStatusCode Status, JsonElement Body, string Text)> GetAsync(PlaygroundServer server, string path, string? host = null)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(server.Addresses[0], path));
        if (host is not null)
        {
            request.Headers.Host = host;
        }
        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return (response.StatusCode, text.StartsWith('{') ? JsonDocument.Parse(text).RootElement.Clone() : default, text);
    }
}
