using System.Net;
using System.Net.WebSockets;
using System.Text.Json.Nodes;
using V2V.Simulator.Tests.Responses;
using V2V.Simulator.Tests.Support;

namespace V2V.Simulator.Tests.Faults;

public sealed class FaultTests
{
    [Fact]
    public async Task CloseAfterEvents_ClosesRightAfterThatManyEvents()
    {
        await using var server = await Servers.StartAsync(o => o.Faults.CloseAfterEvents = 3);
        var (client, _) = await RealtimeTestClient.StartAsync(server);
        await using var _c = client;

        await client.SendAsync(ConversationHelpers.UserText("one"));          // created, added: events 2 and 3
        Assert.NotNull(await client.TryNextAsync());
        Assert.NotNull(await client.TryNextAsync());

        Assert.Null(await client.TryNextAsync());                             // then the close frame, no done event
        Assert.Equal(3, client.Received.Count);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ErrorsNameNoEvent_SendsRefusalsWithoutTheClientsEventId(bool nameNoEvent)
    {
        await using var server = await Servers.StartAsync(o => o.Faults.ErrorsNameNoEvent = nameNoEvent);
        var (client, _) = await RealtimeTestClient.StartAsync(server);
        await using var _c = client;

        await client.SendRawAsync("""{"type":"response.cancel","event_id":"c1"}""");
        var error = (await client.NextAsync())["error"]!;

        Assert.Equal("response_cancel_not_active", error.Str("code"));
        Assert.Equal(nameNoEvent ? null : "c1", error["event_id"]?.GetValue<string>());
    }

    [Fact]
    public async Task CloseAfterEvents_CanAbortLikeANetworkLoss()
    {
        await using var server = await Servers.StartAsync(o => { o.Faults.CloseAfterEvents = 2; o.Faults.AbortInsteadOfClose = true; });
        var (client, _) = await RealtimeTestClient.StartAsync(server);
        await using var _c = client;

        await client.SendAsync(ConversationHelpers.UserText("one"));
        var e = await Record.ExceptionAsync(async () =>
        {
            while (await client.TryNextAsync() is not null)
            {
            }
        });

        Assert.IsType<WebSocketException>(e);
    }

    [Fact]
    public async Task DropMeanSeconds_DropsAConnectionAtARandomMoment_EvenWithNoEventFlowing()
    {
        // A drop after an event never comes to a connection with nothing to say; a network fails anyway.
        await using var server = await Servers.StartAsync(o => { o.Faults.DropMeanSeconds = 0.05; o.Faults.AbortInsteadOfClose = true; });
        var (client, _) = await RealtimeTestClient.StartAsync(server);
        await using var _c = client;

        var e = await Record.ExceptionAsync(async () =>
        {
            while (await client.TryNextAsync() is not null)
            {
            }
        });

        Assert.IsType<WebSocketException>(e);
    }

    [Fact]
    public async Task ErrorAfterEvents_SendsOneErrorEvent_AndTheSessionGoesOn()
    {
        await using var server = await Servers.StartAsync(o => { o.Faults.ErrorAfterEvents = 1; o.Faults.ErrorCode = "injected"; });
        var (client, _) = await RealtimeTestClient.StartAsync(server);
        await using var _c = client;

        var error = await client.NextAsync();
        await client.SendAsync(new JsonObject { ["type"] = "input_audio_buffer.clear" });

        Assert.Equal("server_error", error["error"]!.Str("type"));
        Assert.Equal("injected", error["error"]!.Str("code"));
        Assert.Equal("input_audio_buffer.cleared", (await client.NextAsync()).Type());
    }

    [Fact]
    public async Task FirstResponseDelay_HoldsTheFirstResponseBack()
    {
        await using var server = await Servers.StartAsync(o => o.Faults.FirstResponseDelay = TimeSpan.FromSeconds(1));
        var (client, _) = await RealtimeTestClient.StartAsync(server);
        await using var _c = client;

        await client.SendAsync(new JsonObject { ["type"] = "response.create" });
        await client.SendAsync(new JsonObject { ["type"] = "input_audio_buffer.clear" });
        var events = await client.UntilAsync("response.done");
        var types = events.Select(e => e.Type()).ToList();

        Assert.True(types.IndexOf("input_audio_buffer.cleared") < types.IndexOf("response.created"));
    }

    [Theory]
    [InlineData(429)]
    [InlineData(503)]
    public async Task RefuseHandshake_AnswersWithTheStatus(int status)
    {
        await using var server = await Servers.StartAsync(o => o.Faults.RefuseHandshakeStatusCode = status);
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;

        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(server.RealtimeUri, TestContext.Current.CancellationToken));

        Assert.Equal((HttpStatusCode)status, socket.HttpStatusCode);
    }

    [Fact]
    public async Task RefuseHandshake_SendsRetryAfter_AndStopsAfterTheCount()
    {
        await using var server = await Servers.StartAsync(o =>
        {
            o.Faults.RefuseHandshakeStatusCode = 429;
            o.Faults.RefuseHandshakes = 1;
            o.Faults.RefuseHandshakeRetryAfter = TimeSpan.FromSeconds(3);
        });
        using var refused = new ClientWebSocket();
        refused.Options.CollectHttpResponseDetails = true;
        using var accepted = new ClientWebSocket();

        await Assert.ThrowsAsync<WebSocketException>(() => refused.ConnectAsync(server.RealtimeUri, TestContext.Current.CancellationToken));
        await accepted.ConnectAsync(server.RealtimeUri, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.HttpStatusCode);
        Assert.Equal(["3"], refused.HttpResponseHeaders!["Retry-After"]);
        Assert.Equal(WebSocketState.Open, accepted.State);
    }

    [Fact]
    public async Task InvalidOptions_AreRefusedAtStart_NamingTheProperty()
    {
        var e = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() =>
            LocalRealtimeServer.StartAsync(new LocalRealtimeServerOptions { SpeedFactor = -1 }, TestContext.Current.CancellationToken));
        Assert.Equal("SpeedFactor", e.ParamName);
    }
}
