using System.Text.Json.Nodes;
using V2V.Simulator.Tests.Support;
using V2V.Testing;

namespace V2V.Simulator.Tests.Mcp;

/// <summary>
/// A user text that names a listed MCP tool has the response call it on the real MCP server, in the service's events,
/// and speak what it gave (or why it failed) in the same response.
/// </summary>
public sealed class McpCallTests
{
    [Fact]
    public async Task AUserTextNamingAListedTool_CallsItOnTheServer_InTheServicesOrder_AndSpeaksItsOutput()
    {
        await using var mcp = await TestMcpServer.StartAsync(new TestMcpServerOptions { RequiredBearerToken = "token-9" });
        await using var server = await Servers.StartAsync();
        var (client, _) = await McpSessions.ListAsync(server, McpSessions.Tool(mcp.Url, authorization: "token-9"));
        await using var _c = client;

        var events = await McpSessions.AskAsync(client, "please get_weather Paris");

        Assert.Equal(
        [
            "response.created", "response.output_item.added", "conversation.item.added", "response.mcp_call_arguments.done",
            "response.mcp_call.in_progress", "response.mcp_call.completed", "response.output_item.done", "conversation.item.done",
            "response.output_item.added", "conversation.item.added", "response.content_part.added",
        ], McpSessions.TypesWithoutDeltas(events.SkipWhile(e => e.Type() != "response.created")).Take(11));
        var added = events.OfType("response.output_item.added").First()["item"]!;
        Assert.Equal("mcp_call", added.Str("type"));
        Assert.Equal(McpSessions.Label, added.Str("server_label"));
        Assert.Equal("get_weather", added.Str("name"));
        Assert.Equal(string.Empty, added.Str("arguments"));
        var callId = added.Str("id");

        var deltas = events.OfType("response.mcp_call_arguments.delta").ToList();
        Assert.NotEmpty(deltas);
        Assert.All(deltas, d => Assert.Equal(callId, d.Str("item_id")));
        var done = events.OfType("response.mcp_call_arguments.done").Single();
        Assert.Equal("""{"city":"Paris"}""", done.Str("arguments"));
        Assert.Equal(done.Str("arguments"), string.Concat(deltas.Select(d => d.Str("delta"))));
        Assert.Equal(0, events.OfType("response.mcp_call.in_progress").Single().Int("output_index"));

        var call = events.OfType("response.output_item.done").First()["item"]!;
        Assert.Equal(callId, call.Str("id"));
        Assert.Equal("Sunny in Paris, 21 C", call.Str("output"));
        Assert.Null(call["error"]);
        Assert.Null(call["approval_request_id"]);

        // The real server ran the call with the arguments and the token the tool was given.
        var ran = Assert.Single(mcp.Calls);
        Assert.Equal("get_weather", ran.Tool);
        Assert.Equal("Paris", ran.Arguments["city"]);
        Assert.Equal("Bearer token-9", ran.Authorization);

        // The model says what it gave, in the same response: the call, then the spoken answer.
        Assert.Equal("The tool get_weather returned: Sunny in Paris, 21 C", McpSessions.Transcript(events));
        var response = events[^1]["response"]!;
        Assert.Equal("completed", response.Str("status"));
        Assert.Equal(["mcp_call", "message"], response["output"]!.AsArray().Select(i => i!.Str("type")));
        Assert.True(events.AudioBytes("response.output_audio.delta") > 0);
        McpSessions.AssertEveryEventFollowsTheSchema(client);
    }

    [Fact]
    public async Task AToolThatReportsAnError_FailsItsCall_WithAToolExecutionError_AndTheModelSaysWhy()
    {
        await using var mcp = await TestMcpServer.StartAsync();
        await using var server = await Servers.StartAsync();
        var (client, _) = await McpSessions.ListAsync(server, McpSessions.Tool(mcp.Url));
        await using var _c = client;

        var events = await McpSessions.AskAsync(client, "always_fails");

        Assert.Single(events.OfType("response.mcp_call.failed"));
        Assert.Empty(events.OfType("response.mcp_call.completed"));
        var call = events.OfType("response.output_item.done").First()["item"]!;
        Assert.Null(call["output"]);
        Assert.Equal("tool_execution_error", call["error"]!.Str("type"));
        Assert.Equal(TestMcpServer.FailureText, call["error"]!.Str("message"));
        Assert.Equal($"The tool always_fails failed: {TestMcpServer.FailureText}", McpSessions.Transcript(events));
        Assert.Equal("completed", events[^1]["response"]!.Str("status"));
        Assert.Equal("always_fails", Assert.Single(mcp.Calls).Tool);
        McpSessions.AssertEveryEventFollowsTheSchema(client);
    }

    [Fact]
    public async Task AServerThatAnswersAnHttpError_FailsTheCall_WithAnHttpError()
    {
        await using var mcp = await TestMcpServer.StartAsync();
        await using var server = await Servers.StartAsync();
        var (client, _) = await McpSessions.ListAsync(server, McpSessions.Tool(mcp.Url));
        await using var _c = client;
        mcp.Options.AnswerHttp500 = true;

        var events = await McpSessions.AskAsync(client, "get_weather Rome");

        var error = events.OfType("response.output_item.done").First()["item"]!["error"]!;
        Assert.Equal("http_error", error.Str("type"));
        Assert.Equal(500, error.Int("code"));
        Assert.Contains("500", error.Str("message"), StringComparison.Ordinal);
        Assert.Single(events.OfType("response.mcp_call.failed"));
        Assert.Empty(mcp.Calls);
        McpSessions.AssertEveryEventFollowsTheSchema(client);
    }

    [Fact]
    public async Task AResponseCancelledWhileTheToolRuns_EndsCancelled_ItsCallIncomplete_AndSaysNothing()
    {
        await using var mcp = await TestMcpServer.StartAsync();
        await using var server = await Servers.StartAsync();
        var (client, _) = await McpSessions.ListAsync(server, McpSessions.Tool(mcp.Url));
        await using var _c = client;

        await client.SendAsync(Responses.ConversationHelpers.UserText("slow_lookup tides"));
        await client.SendAsync(new JsonObject { ["type"] = "response.create" });
        var started = await client.UntilAsync("response.mcp_call.in_progress");
        await mcp.SlowLookupStarted.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        await client.SendAsync(new JsonObject { ["type"] = "response.cancel" });
        var ended = await client.UntilAsync("response.done");

        Assert.Equal(["response.output_item.done", "conversation.item.done", "response.done"], ended.Select(e => e.Type()));
        var call = ended[0]["item"]!;
        Assert.Equal(started.OfType("response.mcp_call.in_progress").Single().Str("item_id"), call.Str("id"));
        // Cut short: neither an output nor an error (the schema's MCP call has no status to say it).
        Assert.Null(call["output"]);
        Assert.Null(call["error"]);
        var response = ended[^1]["response"]!;
        Assert.Equal("cancelled", response.Str("status"));
        Assert.Equal("client_cancelled", response["status_details"]!.Str("reason"));
        Assert.Equal(["mcp_call"], response["output"]!.AsArray().Select(i => i!.Str("type")));

        // The call was abandoned with the response: the server's tool saw its request go.
        await mcp.SlowLookupCancelled.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        var after = await McpSessions.UntilQuietAsync(client);
        Assert.DoesNotContain(after, e => e.Type().StartsWith("response.", StringComparison.Ordinal));
        McpSessions.AssertEveryEventFollowsTheSchema(client);
    }

    [Fact]
    public async Task AFunctionToolOfTheSameName_IsCalledInstead_ByTheClient()
    {
        await using var mcp = await TestMcpServer.StartAsync();
        await using var server = await Servers.StartAsync();
        var function = JsonNode.Parse("""{"type":"function","name":"get_weather","parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}""")!.AsObject();
        var (client, _) = await RealtimeTestClient.StartAsync(server);
        await using var _c = client;
        await client.SendAsync(McpSessions.Update(function, McpSessions.Tool(mcp.Url)));
        await client.UntilAsync("mcp_list_tools.completed");

        var events = await McpSessions.AskAsync(client, "get_weather Lima");

        Assert.Equal("""{"city":"Lima"}""", events.OfType("response.function_call_arguments.done").Single().Str("arguments"));
        Assert.Empty(events.OfType("response.mcp_call_arguments.done"));
        Assert.Empty(mcp.Calls);
    }

    [Fact]
    public async Task AServerThatDoesNotAnswerInTime_FailsTheCall_WithTheStatusAGatewayAnswers()
    {
        await using var mcp = await TestMcpServer.StartAsync();
        await using var server = await Servers.StartAsync(o => o.McpRequestTimeout = TimeSpan.FromSeconds(5));
        var (client, _) = await McpSessions.ListAsync(server, McpSessions.Tool(mcp.Url));
        await using var _c = client;

        var events = await McpSessions.AskAsync(client, "slow_lookup tides");

        var error = events.OfType("response.output_item.done").First()["item"]!["error"]!;
        Assert.Equal("http_error", error.Str("type"));
        Assert.Equal(504, error.Int("code"));
        Assert.Single(events.OfType("response.mcp_call.failed"));
        Assert.StartsWith("The tool slow_lookup failed: The MCP server did not answer within 5 s", McpSessions.Transcript(events), StringComparison.Ordinal);
    }
}
