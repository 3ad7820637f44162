using System.Text.Json.Nodes;
using V2V.Simulator.Tests.Support;
using V2V.Testing;

namespace V2V.Simulator.Tests.Mcp;

/// <summary>
/// The items of MCP tools are the conversation's as the others are: retrieved as they were told, and taken back as
/// they were told by a client restoring its conversation on a new connection.
/// </summary>
public sealed class McpConversationItemTests
{
    /// <summary>get_weather runs at once; every other tool waits for approval.</summary>
    private static JsonObject Tool(Uri url)
    {
        var tool = McpSessions.Tool(url, requireApproval: null);
        tool["require_approval"] = JsonNode.Parse("""{"never":{"tool_names":["get_weather"]}}""");
        return tool;
    }

    [Fact]
    public async Task McpItems_AreRetrieved_AndTakenBackOnANewConnection_AsTheyWereTold()
    {
        await using var mcp = await TestMcpServer.StartAsync();
        await using var server = await Servers.StartAsync();
        var (client, listing) = await McpSessions.ListAsync(server, Tool(mcp.Url));
        await using var _c = client;
        var called = await McpSessions.AskAsync(client, "get_weather Quito");
        var asked = await McpSessions.AskAsync(client, "book_table Noma");
        JsonObject[] told =
        [
            ItemDone(listing, "mcp_list_tools"),
            ItemDone(called, "mcp_call"),
            ItemDone(asked, "mcp_approval_request"),
        ];

        foreach (var item in told)
        {
            await client.SendAsync(new JsonObject { ["type"] = "conversation.item.retrieve", ["item_id"] = item.Str("id") });
            var retrieved = (await client.UntilAsync("conversation.item.retrieved"))[^1]["item"]!;
            Assert.True(JsonNode.DeepEquals(item, retrieved), $"{item.ToJsonString()}\n{retrieved.ToJsonString()}");
        }

        // A new connection given the items as they were told takes them as they are, and an approval of the restored request runs it.
        var (restoring, _) = await McpSessions.ListAsync(server, Tool(mcp.Url));
        await using var _r = restoring;
        foreach (var item in told)
        {
            await restoring.SendAsync(new JsonObject { ["type"] = "conversation.item.create", ["item"] = item.DeepClone() });
            var taken = (await restoring.UntilAsync("conversation.item.done"))[^1]["item"]!;
            Assert.True(JsonNode.DeepEquals(item, taken), $"{item.ToJsonString()}\n{taken.ToJsonString()}");
        }

        await restoring.SendAsync(new JsonObject
        {
            ["type"] = "conversation.item.create",
            ["item"] = new JsonObject { ["type"] = "mcp_approval_response", ["id"] = "item_approvalOfRestored1", ["approval_request_id"] = told[2].Str("id"), ["approve"] = true },
        });
        await restoring.SendAsync(new JsonObject { ["type"] = "response.create" });
        var events = await restoring.UntilAsync("response.done");

        Assert.Equal(told[2].Str("id"), ItemDone(events, "mcp_call").Str("approval_request_id"));
        Assert.Equal(["get_weather", "book_table"], mcp.Calls.Select(c => c.Tool));
        McpSessions.AssertEveryEventFollowsTheSchema(client);
        McpSessions.AssertEveryEventFollowsTheSchema(restoring);
    }

    private static JsonObject ItemDone(IEnumerable<JsonObject> events, string type) =>
        events.OfType("conversation.item.done").Select(e => e["item"]!.AsObject()).Single(i => i.Str("type") == type);
}
