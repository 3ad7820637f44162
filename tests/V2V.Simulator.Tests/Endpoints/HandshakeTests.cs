using System.Net;
using System.Net.WebSockets;
using V2V.Simulator.Tests.Support;

namespace V2V.Simulator.Tests.Endpoints;

/// <summary>The handshake of the default profile, openai: a Bearer key (or the browser subprotocol) at /v1/realtime, GA.</summary>
public sealed class HandshakeTests
{
    [Fact]
    public async Task WrongOrMissingKey_GetsHttp401_RightKeyConnects()
    {
        await using var server = await Servers.StartAsync(o => o.ApiKey = "sk-right");
        var uri = new Uri(server.RealtimeUri + "?model=gpt-realtime");

        Assert.Equal(HttpStatusCode.Unauthorized, await HandshakeProbe.RefusedStatusAsync(uri, o => o.SetRequestHeader("Authorization", "Bearer sk-wrong")));
        Assert.Equal(HttpStatusCode.Unauthorized, await HandshakeProbe.RefusedStatusAsync(uri));

        await using var client = await RealtimeTestClient.ConnectAsync(uri, bearer: "sk-right");
        Assert.Equal("session.created", (await client.NextAsync()).Type());
    }

    [Fact]
    public async Task WrongKey_GetsOpenAisErrorBody()
    {
        await using var server = await Servers.StartAsync(o => o.ApiKey = "sk-right");
        var (status, body) = await HandshakeProbe.ErrorAsync(server.RealtimeUri, ("Authorization", "Bearer sk-wrong-key-1234"));

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("invalid_api_key", body["error"]!.Str("code"));
        Assert.Equal("invalid_request_error", body["error"]!.Str("type"));
        Assert.DoesNotContain("sk-wrong-key-1234", body["error"]!.Str("message"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheDefaultProfile_IsOpenAi_AndSpeaksGa()
    {
        await using var server = await Servers.StartAsync();
        Assert.Equal(ServiceProfile.OpenAi, server.Options.Profile);
        Assert.Equal("/v1/realtime", server.RealtimeUri.AbsolutePath);

        var (client, session) = await RealtimeTestClient.StartAsync(server);
        await using var _c = client;
        Assert.Equal("realtime", session.Str("type"));
        Assert.Equal("audio/pcm", session["audio"]!["input"]!["format"]!.Str("type"));
        Assert.Equal(24000, session["audio"]!["input"]!["format"]!.Int("rate"));
        Assert.NotNull(session["output_modalities"]);
        Assert.Null(session["modalities"]);
        Assert.StartsWith("sess_", session.Str("id"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BrowserSubprotocols_CarryTheKey()
    {
        await using var server = await Servers.StartAsync(o => o.ApiKey = "sk-browser");
        using var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol("realtime");
        socket.Options.AddSubProtocol("openai-insecure-api-key.sk-browser");
        await socket.ConnectAsync(server.ExampleUri, TestContext.Current.CancellationToken);

        Assert.Equal("realtime", socket.SubProtocol);
        var buffer = new byte[64 * 1024];
        var result = await socket.ReceiveAsync(buffer, TestContext.Current.CancellationToken);
        var created = System.Text.Json.Nodes.JsonNode.Parse(buffer.AsSpan(0, result.Count))!;
        Assert.Equal("realtime", created["session"]!.Str("type"));
    }
}
