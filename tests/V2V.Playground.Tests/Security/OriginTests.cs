using System.Net;
using System.Net.WebSockets;
using System.Text;
using V2V.Playground.Tests.Support;

namespace V2V.Playground.Tests.Security;

/// <summary>The session WebSocket is for the playground's own page: another site's page is refused.</summary>
public sealed class OriginTests
{
    [Fact]
    public async Task WebSocket_FromAForeignOrigin_IsRefused()
    {
        using var loggers = TestLogging.Create();
        await using var server = await LocalPlayground.StartAsync(loggers);
        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Origin", "http://evil.example");
        socket.Options.CollectHttpResponseDetails = true;

        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(WebSocketUri(server), TestContext.Current.CancellationToken));
        Assert.Equal(HttpStatusCode.Forbidden, socket.HttpStatusCode);
    }

    [Fact]
    public async Task WebSocket_FromTheOwnOrigin_StartsASession()
    {
        using var loggers = TestLogging.Create();
        await using var server = await LocalPlayground.StartAsync(loggers);
        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Origin", server.Addresses[0].GetLeftPart(UriPartial.Authority));
        var cancellationToken = TestContext.Current.CancellationToken;

        await socket.ConnectAsync(WebSocketUri(server), cancellationToken);
        await socket.SendAsync("""{"type":"start","sampleRate":16000,"voice":"alloy","turnMode":"server_vad"}"""u8.ToArray(), WebSocketMessageType.Text, true, cancellationToken);
        var ready = await ReceiveTextAsync(socket, m => m.Contains("\"type\":\"ready\"", StringComparison.Ordinal), cancellationToken);

        Assert.Contains("\"backend\":\"local\"", ready, StringComparison.Ordinal);
        await socket.SendAsync("""{"type":"stop"}"""u8.ToArray(), WebSocketMessageType.Text, true, cancellationToken);
    }

    [Fact]
    public async Task StartMessage_WithAnUnknownVoice_IsRefusedWithTheReason()
    {
        using var loggers = TestLogging.Create();
        await using var server = await LocalPlayground.StartAsync(loggers);
        using var socket = new ClientWebSocket();
        var cancellationToken = TestContext.Current.CancellationToken;
        await socket.ConnectAsync(WebSocketUri(server), cancellationToken);

        await socket.SendAsync("""{"type":"start","sampleRate":16000,"voice":"robot","turnMode":"server_vad"}"""u8.ToArray(), WebSocketMessageType.Text, true, cancellationToken);
        var error = await ReceiveTextAsync(socket, m => m.Contains("\"type\":\"error\"", StringComparison.Ordinal), cancellationToken);
        Assert.Contains("\"type\":\"error\"", error, StringComparison.Ordinal);
        Assert.Contains("voice must be one of", error, StringComparison.Ordinal);
    }

    // Session events (the agent's connection state) may come before 'ready': the first message that matches is returned.
    private static async Task<string> ReceiveTextAsync(ClientWebSocket socket, Func<string, bool> match, CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        for (var i = 0; i < 50; i++)
        {
            var result = await socket.ReceiveAsync(buffer, cancellationToken);
            Assert.NotEqual(WebSocketMessageType.Close, result.MessageType);
            var text = result.MessageType == WebSocketMessageType.Text ? Encoding.UTF8.GetString(buffer, 0, result.Count) : "";
            if (match(text))
            {
                return text;
            }
        }
        throw new Xunit.Sdk.XunitException("The expected message did not come among the first 50.");
    }

    private static Uri WebSocketUri(PlaygroundServer server) => new(server.Addresses[0].ToString().Replace("http://", "ws://", StringComparison.Ordinal) + "ws");
}
