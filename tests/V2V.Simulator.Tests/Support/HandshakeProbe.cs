using System.Net;
using System.Net.WebSockets;
using System.Text.Json.Nodes;

namespace V2V.Simulator.Tests.Support;

/// <summary>Refused handshakes, seen as a WebSocket client sees them (the status) and as plain HTTP shows them (the body).</summary>
internal static class HandshakeProbe
{
    /// <summary>The HTTP status of a WebSocket handshake that must fail.</summary>
    public static async Task<HttpStatusCode> RefusedStatusAsync(Uri uri, Action<ClientWebSocketOptions>? configure = null)
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        configure?.Invoke(socket.Options);
        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(uri, TestContext.Current.CancellationToken));
        return socket.HttpStatusCode;
    }

    /// <summary>
    /// The status and JSON body of a plain GET of <paramref name="uri"/> (ws:// read as http://): path, query and key
    /// are checked before the server asks for a WebSocket, so the body is the one a refused handshake carries.
    /// </summary>
    public static async Task<(HttpStatusCode Status, JsonNode Body)> ErrorAsync(Uri uri, params (string Name, string Value)[] headers)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new UriBuilder(uri) { Scheme = "http" }.Uri);
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;
        return (response.StatusCode, body);
    }
}
