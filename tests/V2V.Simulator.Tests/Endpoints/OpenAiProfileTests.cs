using System.Net;
using System.Net.WebSockets;
using System.Text.Json.Nodes;
using V2V.Simulator.Tests.Support;

namespace V2V.Simulator.Tests.Endpoints;

/// <summary>
/// The openai profile as OpenAI behaves since the beta's retirement (2026-05-12): GA only at /v1/realtime; a beta
/// client is let in, told <c>beta_api_shape_disabled</c> and closed with 4000; other URL forms are not found.
/// </summary>
public sealed class OpenAiProfileTests
{
    [Theory]
    [InlineData("openai/v1/realtime?model=gpt-realtime", "azure")]
    [InlineData("openai/realtime?api-version=2025-04-01-preview&deployment=gpt-4o-realtime-preview", "azure-preview")]
    public async Task AzurePaths_Get404_NamingTheRunningProfileAndItsPath(string pathAndQuery, string owner)
    {
        await using var server = await Servers.StartAsync();
        var uri = new Uri(server.BaseUri + pathAndQuery);

        Assert.Equal(HttpStatusCode.NotFound, await HandshakeProbe.RefusedStatusAsync(uri));
        var (status, body) = await HandshakeProbe.ErrorAsync(uri);
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("invalid_request_error", body["error"]!.Str("type"));
        var message = body["error"]!.Str("message");
        Assert.Contains("'openai' profile", message, StringComparison.Ordinal);
        Assert.Contains("/v1/realtime", message, StringComparison.Ordinal);
        Assert.Contains($"--profile {owner}", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BetaHeader_IsLetIn_ThenRefusedWithBetaApiShapeDisabled_AndClose4000()
    {
        await using var server = await Servers.StartAsync();
        await using var client = await RealtimeTestClient.ConnectAsync(server.ExampleUri, beta: true);

        var events = await client.UntilClosedAsync();

        var error = Assert.Single(events);
        AssertBetaRefusal(error, eventId: null);
        Assert.Equal((WebSocketCloseStatus)4000, client.CloseStatus);
        Assert.False(string.IsNullOrEmpty(client.CloseStatusDescription));
    }

    [Fact]
    public async Task BetaSubprotocol_OfBrowsers_IsRefusedTheSameWay()
    {
        await using var server = await Servers.StartAsync(o => o.ApiKey = "sk-browser");
        using var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol("realtime");
        socket.Options.AddSubProtocol("openai-insecure-api-key.sk-browser");
        socket.Options.AddSubProtocol("openai-beta.realtime-v1");
        await socket.ConnectAsync(server.ExampleUri, TestContext.Current.CancellationToken);

        var buffer = new byte[64 * 1024];
        var first = await socket.ReceiveAsync(buffer, TestContext.Current.CancellationToken);
        AssertBetaRefusal(JsonNode.Parse(buffer.AsSpan(0, first.Count))!.AsObject(), eventId: null);
        var close = await socket.ReceiveAsync(buffer, TestContext.Current.CancellationToken);
        Assert.Equal(WebSocketMessageType.Close, close.MessageType);
        Assert.Equal((WebSocketCloseStatus)4000, socket.CloseStatus);
        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, TestContext.Current.CancellationToken);
    }

    [Theory]
    [InlineData("""{"type":"realtime","modalities":["text","audio"]}""")]
    [InlineData("""{"voice":"alloy","input_audio_format":"pcm16"}""")]
    [InlineData("""{"turn_detection":null}""")]
    [InlineData("""{"type":"realtime","input_audio_transcription":{"model":"whisper-1"}}""")]
    public async Task BetaShapedSessionUpdate_OnGa_IsRefusedNamingTheEvent_AndClosed4000(string session)
    {
        await using var server = await Servers.StartAsync();
        var (client, _) = await RealtimeTestClient.StartAsync(server);
        await using var _c = client;

        await client.SendRawAsync($$"""{"type":"session.update","event_id":"evt_beta_1","session":{{session}}}""");
        var events = await client.UntilClosedAsync();

        AssertBetaRefusal(Assert.Single(events), eventId: "evt_beta_1");
        Assert.Equal((WebSocketCloseStatus)4000, client.CloseStatus);
    }

    [Fact]
    public async Task BetaShapedResponseCreate_OnGa_IsRefusedTheSameWay()
    {
        await using var server = await Servers.StartAsync();
        var (client, _) = await RealtimeTestClient.StartAsync(server);
        await using var _c = client;

        await client.SendRawAsync("""{"type":"response.create","event_id":"evt_beta_2","response":{"modalities":["text"]}}""");

        AssertBetaRefusal(Assert.Single(await client.UntilClosedAsync()), eventId: "evt_beta_2");
        Assert.Equal((WebSocketCloseStatus)4000, client.CloseStatus);
    }

    private static void AssertBetaRefusal(JsonObject evt, string? eventId)
    {
        Assert.Equal("error", evt.Type());
        var error = evt["error"]!;
        Assert.Equal("invalid_request_error", error.Str("type"));
        Assert.Equal("beta_api_shape_disabled", error.Str("code"));
        Assert.Contains("OpenAI-Beta: realtime=v1", error.Str("message"), StringComparison.Ordinal);
        Assert.Null(error["param"]);
        Assert.Equal(eventId, error["event_id"]?.GetValue<string>());
    }
}
