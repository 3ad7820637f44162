using System.Net;
using System.Net.WebSockets;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using V2V.Simulator.Tests.Mcp;
using V2V.Simulator.Tests.Support;
using V2V.Testing;

namespace V2V.Simulator.Tests.Endpoints;

/// <summary>A WebSocket opened with an ephemeral key (<c>ek_...</c>): checked against the minted ones, started with the secret's session.</summary>
public sealed class ClientSecretSessionTests
{
    private static readonly JsonObject PirateSecret = new()
    {
        ["session"] = new JsonObject
        {
            ["type"] = "realtime",
            ["instructions"] = "Speak like a pirate.",
            ["audio"] = new JsonObject
            {
                ["input"] = new JsonObject { ["turn_detection"] = new JsonObject { ["type"] = "semantic_vad", ["eagerness"] = "high" } },
                ["output"] = new JsonObject { ["voice"] = "cedar" },
            },
            ["tools"] = new JsonArray(new JsonObject { ["type"] = "function", ["name"] = "get_weather", ["description"] = "The weather.", ["parameters"] = new JsonObject { ["type"] = "object" } }),
        },
    };

    [Fact]
    public async Task AnEkKey_ViaBearer_OrTheBrowserSubprotocol_StartsTheSessionWithTheSecretsConfiguration()
    {
        await using var server = await Servers.StartAsync(o => o.ApiKey = "sk-right");
        var ek = await ClientSecretProbe.MintValueAsync(server, PirateSecret, bearer: "sk-right");

        await using var byBearer = await RealtimeTestClient.ConnectAsync(server.ExampleUri, bearer: ek);
        using var byBrowser = new ClientWebSocket();
        byBrowser.Options.AddSubProtocol("realtime");
        byBrowser.Options.AddSubProtocol($"openai-insecure-api-key.{ek}");
        await byBrowser.ConnectAsync(server.ExampleUri, TestContext.Current.CancellationToken);

        var buffer = new byte[64 * 1024];
        var received = await byBrowser.ReceiveAsync(buffer, TestContext.Current.CancellationToken);
        foreach (var created in new[] { await byBearer.NextAsync(), JsonNode.Parse(buffer.AsSpan(0, received.Count))!.AsObject() })
        {
            Assert.Equal("session.created", created.Type());
            var session = created["session"]!;
            Assert.Equal("Speak like a pirate.", session.Str("instructions"));
            Assert.Equal("cedar", session["audio"]!["output"]!.Str("voice"));
            Assert.Equal(("semantic_vad", "high"), (session["audio"]!["input"]!["turn_detection"]!.Str("type"), session["audio"]!["input"]!["turn_detection"]!.Str("eagerness")));
            Assert.Equal("get_weather", session["tools"]![0]!.Str("name"));
        }
    }

    [Fact]
    public async Task TheSecretsModel_IsTheSessions_WithOrWithoutAModelInTheUrl()
    {
        await using var server = await Servers.StartAsync();
        var ek = await ClientSecretProbe.MintValueAsync(server, new JsonObject { ["session"] = new JsonObject { ["type"] = "realtime", ["model"] = "gpt-realtime-mini" } });

        await using var withoutQuery = await RealtimeTestClient.ConnectAsync(server.RealtimeUri, bearer: ek);
        await using var withAnother = await RealtimeTestClient.ConnectAsync(new Uri(server.RealtimeUri + "?model=gpt-realtime"), bearer: ek);

        Assert.Equal("gpt-realtime-mini", (await withoutQuery.NextAsync())["session"]!.Str("model"));
        Assert.Equal("gpt-realtime-mini", (await withAnother.NextAsync())["session"]!.Str("model"));
    }

    [Fact]
    public async Task AnExpiredEk_IsRefused401_ButTheSessionsItOpenedGoOn_AndItOpenedSeveral()
    {
        var clock = new FakeTimeProvider();
        await using var server = await Servers.StartAsync(o => o.TimeProvider = clock);
        var ek = await ClientSecretProbe.MintValueAsync(server, new JsonObject { ["expires_after"] = new JsonObject { ["seconds"] = 10 } });
        await using var first = await RealtimeTestClient.ConnectAsync(server.ExampleUri, bearer: ek);
        await using var second = await RealtimeTestClient.ConnectAsync(server.ExampleUri, bearer: ek);
        Assert.Equal("session.created", (await first.NextAsync()).Type());
        Assert.Equal("session.created", (await second.NextAsync()).Type());

        clock.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(HttpStatusCode.Unauthorized, await HandshakeProbe.RefusedStatusAsync(server.ExampleUri, o => o.SetRequestHeader("Authorization", $"Bearer {ek}")));
        var (status, body) = await HandshakeProbe.ErrorAsync(server.ExampleUri, ("Authorization", $"Bearer {ek}"));
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("invalid_api_key", body["error"]!.Str("code"));
        Assert.Contains("unknown or has expired", body["error"]!.Str("message"), StringComparison.Ordinal);
        Assert.DoesNotContain(ek, body.ToJsonString(), StringComparison.Ordinal);

        await first.SendAsync(new JsonObject { ["type"] = "session.update", ["session"] = new JsonObject { ["type"] = "realtime", ["instructions"] = "Still here." } });
        Assert.Equal("Still here.", (await first.UntilAsync("session.updated"))[^1]["session"]!.Str("instructions"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("sk-right")]
    public async Task AnEkKeyNeverMinted_IsRefused401_EvenWithNoApiKeySet(string? apiKey)
    {
        await using var server = await Servers.StartAsync(o => o.ApiKey = apiKey);
        const string forged = "ek_0123456789abcdef0123456789abcdef";

        var (status, body) = await HandshakeProbe.ErrorAsync(server.ExampleUri, ("Authorization", $"Bearer {forged}"));

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal(("invalid_request_error", "invalid_api_key"), (body["error"]!.Str("type"), body["error"]!.Str("code")));
        Assert.DoesNotContain(forged, body.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, await HandshakeProbe.RefusedStatusAsync(server.ExampleUri, o => o.AddSubProtocol($"openai-insecure-api-key.{forged}")));
    }

    [Fact]
    public async Task TheSecretsMcpTools_AreListedAfterSessionCreated_AndNeitherKeyNorTokenIsLogged()
    {
        await using var mcp = await TestMcpServer.StartAsync(new TestMcpServerOptions { RequiredBearerToken = "mcp-token-77" });
        var logs = new CapturingLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        await using var server = await Servers.StartAsync(o => o.LoggerFactory = loggerFactory);
        var request = new JsonObject
        {
            ["session"] = new JsonObject { ["type"] = "realtime", ["tools"] = new JsonArray(McpSessions.Tool(mcp.Url, authorization: "mcp-token-77")) },
        };
        var ek = await ClientSecretProbe.MintValueAsync(server, request);

        await using var client = await RealtimeTestClient.ConnectAsync(server.ExampleUri, bearer: ek);
        var events = await client.UntilAsync("mcp_list_tools.completed");

        Assert.Equal(
            ["session.created", "conversation.item.added", "mcp_list_tools.in_progress", "conversation.item.done", "mcp_list_tools.completed"],
            events.Select(e => e.Type()));
        Assert.Null(events[0]["session"]!["tools"]![0]!["authorization"]);
        Assert.All(client.ReceivedText, text => Assert.DoesNotContain("mcp-token-77", text, StringComparison.Ordinal));
        Assert.NotEmpty(logs.Lines);
        Assert.Contains(logs.Lines, line => line.Contains("Minted a client secret", StringComparison.Ordinal));
        Assert.All(logs.Lines, line =>
        {
            Assert.DoesNotContain(ek, line, StringComparison.Ordinal);
            Assert.DoesNotContain(ek[3..], line, StringComparison.Ordinal);
            Assert.DoesNotContain("mcp-token-77", line, StringComparison.Ordinal);
        });
        McpSessions.AssertEveryEventFollowsTheSchema(client);
    }
}
