using System.Text.Json.Nodes;
using V2V.Simulator.Tests.Support;
using V2V.Testing;

namespace V2V.Simulator.Tests.Mcp;

/// <summary>What the local server refuses of an <c>mcp</c> tool, as the whole <c>session.update</c> is refused: nothing of it applies, nothing is listed.</summary>
public sealed class McpToolConfigTests
{
    public static TheoryData<string, string, string> Refused => new()
    {
        { """[{"type":"mcp","server_label":"kitchen"}]""", "session.tools[0].server_url", "missing_required_parameter" },
        { """[{"type":"mcp","server_label":"kitchen","connector_id":"connector_gmail"}]""", "session.tools[0].connector_id", "invalid_value" },
        { """[{"type":"mcp","server_label":"kitchen","server_url":"ftp://127.0.0.1/mcp"}]""", "session.tools[0].server_url", "invalid_value" },
        { """[{"type":"mcp","server_label":"kitchen","server_url":"URL"},{"type":"mcp","server_label":"kitchen","server_url":"URL"}]""", "session.tools[1].server_label", "invalid_value" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task AnMcpToolThatCannotBeServed_IsRefused_NamingItsField_AndNothingIsListed(string tools, string param, string code)
    {
        await using var mcp = await TestMcpServer.StartAsync();
        await using var server = await Servers.StartAsync();
        var (client, _) = await RealtimeTestClient.StartAsync(server);
        await using var _c = client;

        var update = JsonNode.Parse("""{"type":"session.update","event_id":"u1","session":{"type":"realtime"}}""")!;
        update["session"]!["tools"] = JsonNode.Parse(tools.Replace("URL", mcp.Url.ToString(), StringComparison.Ordinal));
        await client.SendAsync(update.AsObject());
        var events = await McpSessions.UntilQuietAsync(client);

        var error = Assert.Single(events)["error"]!;
        Assert.Equal("invalid_request_error", error.Str("type"));
        Assert.Equal(code, error.Str("code"));
        Assert.Equal(param, error.Str("param"));
        Assert.Equal("u1", error.Str("event_id"));
        if (param.EndsWith("connector_id", StringComparison.Ordinal))
        {
            Assert.Contains("cannot reach connectors", error.Str("message"), StringComparison.Ordinal);
        }

        Assert.Empty(mcp.Requests);
        McpSessions.AssertEveryEventFollowsTheSchema(client);
    }

    [Fact]
    public async Task TheBetaProtocol_HasNoMcpTools_AndRefusesOne()
    {
        await using var mcp = await TestMcpServer.StartAsync();
        await using var server = await Servers.StartAsync(beta: true);
        var (client, _) = await RealtimeTestClient.StartAsync(server, beta: true);
        await using var _c = client;

        await client.SendAsync(new JsonObject
        {
            ["type"] = "session.update",
            ["session"] = new JsonObject { ["tools"] = new JsonArray(McpSessions.Tool(mcp.Url)) },
        });
        await client.SendAsync(new JsonObject { ["type"] = "input_audio_buffer.clear" });
        var events = await client.UntilAsync("input_audio_buffer.cleared");

        var error = Assert.Single(events.OfType("error"))["error"]!;
        Assert.StartsWith("session.tools[0]", error.Str("param"), StringComparison.Ordinal);
        Assert.DoesNotContain(events, e => e.Type() is "session.updated" or "mcp_list_tools.in_progress");
        Assert.Empty(mcp.Requests);
    }
}
