using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace V2V.Simulator.Tests.Support;

/// <summary><c>POST .../client_secrets</c> as a plain HTTP client sends it, for the status, headers and JSON body it gets.</summary>
internal static class ClientSecretProbe
{
    /// <summary>The client secrets endpoint of the server's profile, as http://.</summary>
    public static Uri UriOf(LocalRealtimeServer server) => At(server, server.Options.Profile.Path());

    /// <summary>The client secrets path under <paramref name="realtimePath"/> (another profile's, to see it refused).</summary>
    public static Uri At(LocalRealtimeServer server, string realtimePath) =>
        new UriBuilder(server.BaseUri) { Scheme = "http", Path = realtimePath + "/client_secrets" }.Uri;

    public static Task<Answer> MintAsync(LocalRealtimeServer server, JsonObject? request = null, string? bearer = null) =>
        SendAsync(HttpMethod.Post, UriOf(server), request?.ToJsonString(), headers: bearer is null ? [] : [("Authorization", $"Bearer {bearer}")]);

    /// <summary>The secret's value from a mint that must succeed.</summary>
    public static async Task<string> MintValueAsync(LocalRealtimeServer server, JsonObject? request = null, string? bearer = null)
    {
        var answer = await MintAsync(server, request, bearer);
        Assert.True(answer.Status == HttpStatusCode.OK, answer.Body.ToJsonString());
        return answer.Body.Str("value");
    }

    /// <param name="method">The HTTP method.</param>
    /// <param name="uri">Where to send it.</param>
    /// <param name="body">The body (sent as application/json unless <paramref name="contentType"/> says otherwise), or null for none.</param>
    /// <param name="contentType">The body's Content-Type.</param>
    /// <param name="headers">Headers to send (keys).</param>
    public static async Task<Answer> SendAsync(HttpMethod method, Uri uri, string? body, string contentType = "application/json", params (string Name, string Value)[] headers)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(method, uri);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return new Answer(response.StatusCode, response.Content.Headers.ContentType?.MediaType, response.Content.Headers.Allow.ToList(), JsonNode.Parse(text)!);
    }

    /// <summary>What the endpoint answered.</summary>
    internal sealed record Answer(HttpStatusCode Status, string? ContentType, IReadOnlyList<string> Allow, JsonNode Body)
    {
        /// <summary>The <c>error</c> object of an error answer.</summary>
        public JsonNode Error => Body["error"]!;
    }
}
