using System.Text.Json.Nodes;
using V2V.Simulator.Tests.Support;
using V2V.Testing;

namespace V2V.Simulator.Tests.Mcp;

/// <summary>
/// A call whose tool needs approval (<c>require_approval</c>, "always" when absent) is asked for and not made; the
/// client's <c>mcp_approval_response</c> and its next <c>response.create</c> have it made, or have the model say it was not.
/// </summary>
public sealed class McpApprovalTests
{
    [Fact]
    public async Task ACallOfAToolThatNeedsApproval_IsAskedFor_AndTheResponseEndsWithoutCallingIt()
    {
        await using var mcp = await TestMcpServer.StartAsync();
        await using var server = await Servers.StartAsync();
        // No require_approval: the service's default, "always".
        var (client, _) = await McpSessions.ListAsync(server, McpSessions.Tool(mcp.Url, requireApproval: null));
        await using var _c = client;

        var events = await McpSessions.AskAsync(client, "book_table Chez Panisse");

        Assert.Equal(
            ["response.created", "response.output_item.added", "conversation.item.added", "response.output_item.done", "conversation.item.done", "response.done"],
            events.Select(e => e.Type()).SkipWhile(t => t != "response.created"));
        var request = events.Single(IsApprovalRequest)["item"]!;
        Assert.Equal("mcp_approval_request", request.Str("type"));
        Assert.Equal(McpSessions.Label, request.Str("server_label"));
        Assert.Equal("book_table", request.Str("name"));
        Assert.Equal("""{"restaurant":"Chez Panisse"}""", request.Str("arguments"));
        Assert.Equal("completed", events[^1]["response"]!.Str("status"));
        Assert.Empty(mcp.Calls);
        McpSessions.AssertEveryEventFollowsTheSchema(client);
    }

    [Fact]
    public async Task AnApprovedRequest_IsCalledByTheNextResponse_WithItsApprovalRequestId_AndItsOutputIsSpoken()
    {
        await using var mcp = await TestMcpServer.StartAsync();
        await using var server = await Servers.StartAsync();
        var (client, _) = await McpSessions.ListAsync(server, McpSessions.Tool(mcp.Url, requireApproval: "always"));
        await using var _c = client;
        var requestId = await AskForApprovalAsync(client, "book_table Noma");

        await client.SendAsync(Approval(requestId, approve: true));
        var created = await client.UntilAsync("conversation.item.done");
        Assert.Equal("mcp_approval_response", created[^1]["item"]!.Str("type"));
        Assert.Empty(mcp.Calls); // the server waits for response.create, as the service does
        await client.SendAsync(new JsonObject { ["type"] = "response.create" });
        var events = await client.UntilAsync("response.done");

        var call = events.OfType("response.output_item.done").First()["item"]!;
        Assert.Equal("mcp_call", call.Str("type"));
        Assert.Equal(requestId, call.Str("approval_request_id"));
        Assert.Equal("""{"restaurant":"Noma"}""", call.Str("arguments"));
        Assert.Equal("Booked a table at Noma for 8 pm.", call.Str("output"));
        var ran = Assert.Single(mcp.Calls);
        Assert.Equal("book_table", ran.Tool);
        Assert.Equal("Noma", ran.Arguments["restaurant"]);
        Assert.Equal("The tool book_table returned: Booked a table at Noma for 8 pm.", McpSessions.Transcript(events));

        // Approved once, run once: another response reports the call made instead of making it again.
        await client.SendAsync(new JsonObject { ["type"] = "response.create" });
        var again = await client.UntilAsync("response.done");
        Assert.Empty(again.OfType("response.mcp_call.in_progress"));
        Assert.Single(mcp.Calls);
        McpSessions.AssertEveryEventFollowsTheSchema(client);
    }

    [Fact]
    public async Task ARefusedRequest_IsNotCalled_AndTheModelSaysItWasNotApproved_AndWhy()
    {
        await using var mcp = await TestMcpServer.StartAsync();
        await using var server = await Servers.StartAsync();
        var (client, _) = await McpSessions.ListAsync(server, McpSessions.Tool(mcp.Url, requireApproval: "always"));
        await using var _c = client;
        var requestId = await AskForApprovalAsync(client, "book_table Noma");

        await client.SendAsync(Approval(requestId, approve: false, reason: "Too expensive."));
        await client.SendAsync(new JsonObject { ["type"] = "response.create" });
        var events = await client.UntilAsync("response.done");

        Assert.Equal("I did not run book_table: it was not approved. The reason given: Too expensive.", McpSessions.Transcript(events));
        Assert.DoesNotContain(events, e => e.Type().StartsWith("response.mcp_call", StringComparison.Ordinal));
        Assert.Empty(mcp.Calls);
        McpSessions.AssertEveryEventFollowsTheSchema(client);
    }

    [Fact]
    public async Task AnAnswerToNoPendingRequest_IsRefused_NamingTheField()
    {
        await using var mcp = await TestMcpServer.StartAsync();
        await using var server = await Servers.StartAsync();
        var (client, _) = await McpSessions.ListAsync(server, McpSessions.Tool(mcp.Url, requireApproval: "always"));
        await using var _c = client;

        await client.SendAsync(Approval("item_NoSuchRequest000000", approve: true));
        var unknown = (await client.UntilAsync("error"))[^1]["error"]!;
        Assert.Equal("item.approval_request_id", unknown.Str("param"));
        Assert.Contains("item_NoSuchRequest000000", unknown.Str("message"), StringComparison.Ordinal);

        // A request answered once is no longer pending.
        var requestId = await AskForApprovalAsync(client, "book_table Noma");
        await client.SendAsync(Approval(requestId, approve: true));
        await client.UntilAsync("conversation.item.done");
        await client.SendAsync(Approval(requestId, approve: false));
        var answered = (await client.UntilAsync("error"))[^1]["error"]!;
        Assert.Equal("item.approval_request_id", answered.Str("param"));
        Assert.Contains("already answered", answered.Str("message"), StringComparison.Ordinal);
        Assert.Single(client.Received, e => e.Type() == "conversation.item.done" && e["item"]!.Str("type") == "mcp_approval_response");
        Assert.Empty(mcp.Calls);
    }

    [Fact]
    public async Task AnApprovalFilter_DecidesWhichCallsWait_ToolByTool()
    {
        await using var mcp = await TestMcpServer.StartAsync();
        await using var server = await Servers.StartAsync();
        var tool = McpSessions.Tool(mcp.Url, requireApproval: null);
        tool["require_approval"] = JsonNode.Parse("""{"never":{"read_only":true},"always":{"tool_names":["always_fails"]}}""");
        var (client, _) = await McpSessions.ListAsync(server, tool);
        await using var _c = client;

        Assert.Single((await McpSessions.AskAsync(client, "get_weather Bern")).OfType("response.mcp_call.completed"));
        Assert.Single(await McpSessions.AskAsync(client, "book_table Noma"), IsApprovalRequest);
        Assert.Single(await McpSessions.AskAsync(client, "always_fails"), IsApprovalRequest); // read-only, but named to always wait
        Assert.Equal(["get_weather"], mcp.Calls.Select(c => c.Tool));
    }

    /// <summary>Asks for a call of a tool that needs approval: the id of the approval request the response made.</summary>
    private static async Task<string> AskForApprovalAsync(RealtimeTestClient client, string text)
    {
        var events = await McpSessions.AskAsync(client, text);
        return events.Single(IsApprovalRequest)["item"]!.Str("id");
    }

    private static bool IsApprovalRequest(JsonObject e) =>
        e.Type() == "conversation.item.done" && e["item"]!.Str("type") == "mcp_approval_request";

    private static JsonObject Approval(string requestId, bool approve, string? reason = null)
    {
        // The schema makes the item's own id required for this type.
        var item = new JsonObject { ["type"] = "mcp_approval_response", ["id"] = $"item_apr{Guid.NewGuid():N}"[..26], ["approval_request_id"] = requestId, ["approve"] = approve };
        if (reason is not null)
        {
            item["reason"] = reason;
        }

        return new JsonObject { ["type"] = "conversation.item.create", ["item"] = item };
    }
}
