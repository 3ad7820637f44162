using System.Net;
using System.Net.WebSockets;
using V2V.Simulator.Tests.Support;

namespace V2V.Simulator.Tests.Endpoints;

public sealed class HandshakeTests
{
    private static async Task<HttpStatusCode> RefusedStatusAsync(Uri uri, Action<ClientWebSocketOptions> configure)
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        configure(socket.Options);
        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(uri, TestContext.Current.CancellationToken));
        return socket.HttpStatusCode;
    }

    [Fact]
    public async Task WrongOrMissingKey_GetsHttp401_RightKeyConnects()
    {
        await using var server = await Servers.StartAsync(o => o.ApiKey = "sk-right");
        var uri = new Uri(server.RealtimeUri + "?model=gpt-realtime");

        Assert.Equal(HttpStatusCode.Unauthorized, await RefusedStatusAsync(uri, o => o.SetRequestHeader("Authorization", "Bearer sk-wrong")));
        Assert.Equal(HttpStatusCode.Unauthorized, await RefusedStatusAsync(uri, _ => { }));

        await using var client = await RealtimeTestClient.ConnectAsync(uri, bearer: "sk-right");
        Assert.Equal("session.created", (await client.NextAsync()).Type());
    }

    [Fact]
    public async Task WrongKey_GetsOpenAisErrorBody()
    {
        await using var server = await Servers.StartAsync(o => o.ApiKey = "sk-right");
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(server.BaseUri.ToString().Replace("ws://", "http://", StringComparison.Ordinal) + "v1/realtime"));
        request.Headers.Add("Authorization", "Bearer sk-wrong-key-1234");
        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);
        var body = System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("invalid_api_key", body["error"]!.Str("code"));
        Assert.Equal("invalid_request_error", body["error"]!.Str("type"));
        Assert.DoesNotContain("sk-wrong-key-1234", body["error"]!.Str("message"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoBetaHeader_SpeaksGa_BetaHeader_SpeaksBeta()
    {
        await using var server = await Servers.StartAsync();

        var (ga, gaSession) = await RealtimeTestClient.StartAsync(server);
        await using (ga)
        {
            Assert.Equal("realtime", gaSession.Str("type"));
            Assert.Equal("audio/pcm", gaSession["audio"]!["input"]!["format"]!.Str("type"));
            Assert.Equal(24000, gaSession["audio"]!["input"]!["format"]!.Int("rate"));
            Assert.NotNull(gaSession["output_modalities"]);
            Assert.Null(gaSession["modalities"]);
        }

        var (beta, betaSession) = await RealtimeTestClient.StartAsync(server, beta: true);
        await using (beta)
        {
            Assert.Equal("pcm16", betaSession.Str("input_audio_format"));
            Assert.Equal("server_vad", betaSession["turn_detection"]!.Str("type"));
            Assert.NotNull(betaSession["modalities"]);
            Assert.Null(betaSession["audio"]);
        }

        Assert.StartsWith("sess_", gaSession.Str("id"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AzureForm_TakesApiKeyHeader_AndSpeaksBeta()
    {
        await using var server = await Servers.StartAsync(o => o.ApiKey = "azure-key");
        var uri = new Uri(server.BaseUri + "openai/realtime?api-version=2024-10-01-preview&deployment=gpt-4o-realtime-preview");

        Assert.Equal(HttpStatusCode.Unauthorized, await RefusedStatusAsync(uri, o => o.SetRequestHeader("api-key", "nope")));

        await using var client = await RealtimeTestClient.ConnectAsync(uri, apiKey: "azure-key");
        var created = await client.NextAsync();
        Assert.Equal("gpt-4o-realtime-preview", created["session"]!.Str("model"));
        Assert.Equal("pcm16", created["session"]!.Str("output_audio_format"));
    }

    [Fact]
    public async Task BrowserSubprotocols_CarryKeyAndBetaFlag()
    {
        await using var server = await Servers.StartAsync(o => o.ApiKey = "sk-browser");
        using var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol("realtime");
        socket.Options.AddSubProtocol("openai-insecure-api-key.sk-browser");
        socket.Options.AddSubProtocol("openai-beta.realtime-v1");
        await socket.ConnectAsync(server.RealtimeUri, TestContext.Current.CancellationToken);

        Assert.Equal("realtime", socket.SubProtocol);
        var buffer = new byte[64 * 1024];
        var result = await socket.ReceiveAsync(buffer, TestContext.Current.CancellationToken);
        var created = System.Text.Json.Nodes.JsonNode.Parse(buffer.AsSpan(0, result.Count))!;
        Assert.Equal("pcm16", created["session"]!.Str("input_audio_format"));
    }
}
