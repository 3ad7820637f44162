using System.Text.Json.Nodes;
using V2V.Simulator.Tests.Support;
using V2V.Testing;

namespace V2V.Simulator.Tests.Mcp;

/// <summary>
/// A <c>session.update</c> with an <c>mcp</c> tool has the local server list the tools of a real MCP server (the
/// official SDK's, <see cref="TestMcpServer"/>) as the service does: in the background, in the service's events, with
/// the tool's credentials, and with failures told without them.
/// </summary>
public sealed class McpListingTests
{
    [Fact]
    public async Task AnMcpTool_IsListed_AfterSessionUpdated_InTheServicesOrder_WithItsCredentials()
    {
        await using var mcp = await TestMcpServer.StartAsync(new TestMcpServerOptions { RequiredBearerToken = "token-123" });
        await using var server = await Servers.StartAsync();
        var tool = McpSessions.Tool(mcp.Url, authorization: "token-123");
        tool["headers"] = new JsonObject { ["X-Kitchen"] = "open" };
        var (client, events) = await McpSessions.ListAsync(server, tool);
        await using var _c = client;

        // The listing's item names the server as it begins (no tools yet), and is done with them.
        Assert.Equal(
            ["session.updated", "conversation.item.added", "mcp_list_tools.in_progress", "conversation.item.done", "mcp_list_tools.completed"],
            events.Select(e => e.Type()));
        var itemId = events[2].Str("item_id");
        var added = events[1]["item"]!;
        Assert.Equal((itemId, "mcp_list_tools", McpSessions.Label, 0), (added.Str("id"), added.Str("type"), added.Str("server_label"), added["tools"]!.AsArray().Count));
        var item = events.OfType("conversation.item.done").Single()["item"]!;
        Assert.Equal(itemId, item.Str("id"));
        Assert.Equal(itemId, events[^1].Str("item_id"));
        Assert.Equal("mcp_list_tools", item.Str("type"));
        Assert.Equal(McpSessions.Label, item.Str("server_label"));
        var tools = item["tools"]!.AsArray().Select(t => t!).ToDictionary(t => t.Str("name"));
        Assert.Equal(["always_fails", "book_table", "get_weather", "slow_lookup"], tools.Keys.Order());
        Assert.Equal("The weather of a city, now.", tools["get_weather"].Str("description"));
        Assert.Equal("string", tools["get_weather"]["input_schema"]!["properties"]!["city"]!.Str("type"));
        Assert.True(tools["get_weather"]["annotations"]!["readOnlyHint"]!.GetValue<bool>());
        Assert.False(tools["book_table"]["annotations"]?["readOnlyHint"]?.GetValue<bool>() ?? false);

        // session.updated reflects the tool as set, but not its token: the service does not send it back.
        var echoed = events[0]["session"]!["tools"]![0]!;
        Assert.Equal(mcp.Url.ToString(), echoed.Str("server_url"));
        Assert.Null(echoed["authorization"]);
        Assert.All(client.ReceivedText, text => Assert.DoesNotContain("token-123", text, StringComparison.Ordinal));

        // Every request carried the bearer token and the tool's headers, and accepted both answers the transport allows.
        Assert.NotEmpty(mcp.Requests);
        Assert.All(mcp.Requests, r =>
        {
            Assert.Equal("Bearer token-123", r.Headers["Authorization"]);
            Assert.Equal("open", r.Headers["X-Kitchen"]);
            Assert.Contains("application/json", r.Headers["Accept"], StringComparison.Ordinal);
            Assert.Contains("text/event-stream", r.Headers["Accept"], StringComparison.Ordinal);
        });
        McpSessions.AssertEveryEventFollowsTheSchema(client);
    }

    [Theory]
    [InlineData("""["get_weather","book_table"]""", "book_table,get_weather")]
    [InlineData("""{"read_only":true}""", "always_fails,get_weather,slow_lookup")]
    [InlineData("""{"tool_names":["get_weather","book_table"],"read_only":true}""", "get_weather")]
    [InlineData("""{"tool_names":["book_table"]}""", "book_table")]
    public async Task AllowedTools_ListOnlyTheToolsTheyName(string allowedTools, string listed)
    {
        await using var mcp = await TestMcpServer.StartAsync();
        await using var server = await Servers.StartAsync();
        var (client, events) = await McpSessions.ListAsync(server, McpSessions.Tool(mcp.Url, allowedTools: JsonNode.Parse(allowedTools)));
        await using var _c = client;

        var tools = events.OfType("conversation.item.done").Single()["item"]!["tools"]!.AsArray().Select(t => t!.Str("name")).Order();
        Assert.Equal(listed, string.Join(',', tools));
    }

    public static TheoryData<string, string> Failures => new()
    {
        { "500", "Http status code: 500 (Internal Server Error)" },
        { "wrong token", "Http status code: 401 (Unauthorized)" },
        { "unreachable", "Could not reach the MCP server" },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task AListingThatFails_IsToldFailed_WithAnErrorNamingTheServerAndWhy_NotTheCredentials_AndTheSessionGoesOn(string failure, string why)
    {
        await using var mcp = await TestMcpServer.StartAsync(new TestMcpServerOptions { RequiredBearerToken = "the-right-token", AnswerHttp500 = failure == "500" });
        await using var server = await Servers.StartAsync();
        var tool = McpSessions.Tool(failure == "unreachable" ? McpSessions.UnreachableUrl() : mcp.Url, authorization: "secret-token-42");
        tool["headers"] = new JsonObject { ["X-Api-Key"] = "header-secret-77" };
        var (client, events) = await McpSessions.ListAsync(server, tool, until: "error");
        await using var _c = client;

        // The item names the server (a client knows which failed) and is done with no tools.
        Assert.Equal(["session.updated", "conversation.item.added", "mcp_list_tools.in_progress", "conversation.item.done", "mcp_list_tools.failed", "error"], events.Select(e => e.Type()));
        Assert.Equal((McpSessions.Label, events[2].Str("item_id")), (events[1]["item"]!.Str("server_label"), events[1]["item"]!.Str("id")));
        Assert.Equal(events[2].Str("item_id"), events[4].Str("item_id"));
        Assert.Empty(events[3]["item"]!["tools"]!.AsArray());
        var message = events[^1]["error"]!.Str("message");
        Assert.Contains($"'{McpSessions.Label}'", message, StringComparison.Ordinal);
        Assert.Contains(why, message, StringComparison.Ordinal);
        // The token is in nothing the client got; the header values only in session.updated, which echoes the tool's headers as given.
        Assert.All(client.ReceivedText, text => Assert.DoesNotContain("secret-token-42", text, StringComparison.Ordinal));
        Assert.DoesNotContain("header-secret-77", events[^1].ToJsonString(), StringComparison.Ordinal);

        // Nothing was listed (the item holds no tool), and the session answers as before.
        var answer = await McpSessions.AskAsync(client, "hello there");
        Assert.Equal("completed", answer[^1]["response"]!.Str("status"));
        Assert.Equal("You said: hello there", McpSessions.Transcript(answer));
        Assert.All(client.Received.Where(e => e["item"]?["type"]?.GetValue<string>() == "mcp_list_tools"), e => Assert.Empty(e["item"]!["tools"]!.AsArray()));
        McpSessions.AssertEveryEventFollowsTheSchema(client);
    }

    [Fact]
    public async Task TheSameServerAgain_IsNotListedAgain_ButAChangeOfItsAllowedToolsIs()
    {
        await using var mcp = await TestMcpServer.StartAsync();
        await using var server = await Servers.StartAsync();
        var tool = McpSessions.Tool(mcp.Url);
        var (client, _) = await McpSessions.ListAsync(server, tool);
        await using var _c = client;
        var requests = mcp.Requests.Count;

        await client.SendAsync(McpSessions.Update(tool));
        var again = await McpSessions.UntilQuietAsync(client);
        Assert.Equal(["session.updated"], again.Select(e => e.Type()));

        tool["allowed_tools"] = new JsonArray("get_weather");
        await client.SendAsync(McpSessions.Update(tool));
        var changed = await client.UntilAsync("mcp_list_tools.completed");
        Assert.Equal(["session.updated", "conversation.item.added", "mcp_list_tools.in_progress", "conversation.item.done", "mcp_list_tools.completed"], changed.Select(e => e.Type()));
        Assert.Equal(["get_weather"], changed.OfType("conversation.item.done").Single()["item"]!["tools"]!.AsArray().Select(t => t!.Str("name")));
        Assert.True(mcp.Requests.Count > requests, "the changed server was asked again");
    }

    [Fact]
    public async Task AStatefulServer_GetsItsSessionIdOnEveryRequest_AndTheSessionEndedWhenTheRealtimeSessionEnds()
    {
        await using var mcp = await TestMcpServer.StartAsync(new TestMcpServerOptions { Stateful = true });
        await using var server = await Servers.StartAsync();
        var (client, _) = await McpSessions.ListAsync(server, McpSessions.Tool(mcp.Url));
        await using var _c = client;
        var answer = await McpSessions.AskAsync(client, "get_weather Oslo");
        Assert.Equal("The tool get_weather returned: Sunny in Oslo, 21 C", McpSessions.Transcript(answer));

        // The first request (initialize) has no session yet; every later one carries the one the server gave.
        var requests = mcp.Requests;
        Assert.False(requests[0].Headers.ContainsKey("Mcp-Session-Id"));
        var sessionId = requests[1].Headers["Mcp-Session-Id"];
        Assert.All(requests.Skip(1), r => Assert.Equal(sessionId, r.Headers["Mcp-Session-Id"]));
        Assert.All(requests.Skip(1), r => Assert.Equal("2025-06-18", r.Headers["MCP-Protocol-Version"]));

        await client.DisposeAsync();
        await mcp.DeleteReceived.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
    }
}
