using System.Text.Json.Nodes;
using V2V.Extension.Tests.Support;
using V2V.Ten;
using V2V.Ten.Messages;
using V2V.Testing;

namespace V2V.Extension.Tests;

/// <summary>
/// A TEN graph gives openai_v2v a remote MCP server by its <c>mcp_*</c> properties: the local realtime server, as the
/// service does, lists a real MCP server's tools and calls them; the graph sees each listing, approval request and call as
/// a <c>session_event</c>, and answers an approval with the cmd <c>mcp_approval</c>.
/// </summary>
public sealed class McpGraphTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static bool IsEvent(DataMessage data, string kind) => data.Name == "session_event" && data.GetString("kind") == kind;

    [Fact]
    public async Task AGraphsMcpServer_IsListed_AskedForApproval_ByASessionEvent_AndRunsOnTheCmd()
    {
        await using var mcp = await TestMcpServer.StartAsync();
        var properties = new JsonObject
        {
            ["api_key"] = "",
            ["audio_out"] = false,
            ["pace_output"] = false,
            ["greet_on_join"] = false,
            ["stream_id"] = 9,
            ["mcp_server_url"] = mcp.Url.AbsoluteUri,
            ["mcp_server_label"] = "dining",
        };
        await using var harness = await GraphHarness.StartAsync(null, properties, textSource: "book_table Chez Paul");
        await harness.WaitForAsync(p => p.Received.OfType<DataMessage>().Any(d => IsEvent(d, "mcp_tools")), "the tools listed");
        var listed = harness.Probe.Received.OfType<DataMessage>().Single(d => IsEvent(d, "mcp_tools"));
        Assert.Equal("dining", listed.GetString("server_label"));
        Assert.Contains("book_table", listed.Properties["tools"]!.AsArray().Select(t => t!.GetValue<string>()));

        await harness.Text!.SayAsync(Ct);
        await harness.WaitForAsync(p => p.Received.OfType<DataMessage>().Any(d => IsEvent(d, "mcp_approval_request")), "the approval request");
        var request = harness.Probe.Received.OfType<DataMessage>().Single(d => IsEvent(d, "mcp_approval_request"));
        Assert.Equal(("dining", "book_table"), (request.GetString("server_label"), request.GetString("name")));
        Assert.Empty(mcp.Calls);

        var unknown = await harness.Text.SendAsync(Approval("mcpr_unknown", true), Ct);
        Assert.Equal(StatusCode.Error, unknown.Status);
        Assert.Contains("'mcpr_unknown' is not pending", unknown.Detail, StringComparison.Ordinal);
        var withoutAnswer = new Cmd("mcp_approval");
        withoutAnswer.Set("request_id", request.GetString("request_id"));
        var noAnswer = await harness.Text.SendAsync(withoutAnswer, Ct);
        Assert.Equal(StatusCode.Error, noAnswer.Status);
        Assert.Contains("needs approve", noAnswer.Detail, StringComparison.Ordinal);

        var approved = await harness.Text.SendAsync(Approval(request.GetString("request_id")!, true), Ct);
        Assert.Equal(StatusCode.Ok, approved.Status);
        await harness.WaitForAsync(p => p.Received.OfType<DataMessage>().Any(d => IsEvent(d, "mcp_call") && d.GetString("state") == "completed") && GraphHarness.AssistantTurnsClosed(p, 1), "the call and the answer");

        var call = harness.Probe.Received.OfType<DataMessage>().Single(d => IsEvent(d, "mcp_call") && d.GetString("state") == "completed");
        Assert.Contains("Booked a table at Chez Paul", call.GetString("output"), StringComparison.Ordinal);
        Assert.Equal("Chez Paul", Assert.Single(mcp.Calls).Arguments["restaurant"]);
        Assert.Contains(GraphHarness.AssistantTurns(harness.Probe), t => t.Text.Contains("Booked a table at Chez Paul", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AGraphsListOfMcpServers_IsListedServerByServer_EachWithItsOwnToken_AndAToolOfTheSecondRuns()
    {
        await using var dining = await TestMcpServer.StartAsync();
        await using var weather = await TestMcpServer.StartAsync(new TestMcpServerOptions { RequiredBearerToken = "weather-token-5" });
        var properties = new JsonObject
        {
            ["api_key"] = "",
            ["audio_out"] = false,
            ["pace_output"] = false,
            ["greet_on_join"] = false,
            ["mcp_server_url"] = dining.Url.AbsoluteUri,
            ["mcp_server_label"] = "dining",
            ["mcp_allowed_tools"] = "book_table", // the same test server: its get_weather is the other server's to run
            ["mcp_servers"] = new JsonArray(new JsonObject
            {
                ["server_url"] = weather.Url.AbsoluteUri,
                ["server_label"] = "weather",
                ["authorization"] = "weather-token-5",
                ["allowed_tools"] = "get_weather",
                ["require_approval"] = "never",
            }),
        };
        await using var harness = await GraphHarness.StartAsync(null, properties, textSource: "get_weather Paris");
        await harness.WaitForAsync(p => p.Received.OfType<DataMessage>().Count(d => IsEvent(d, "mcp_tools")) == 2, "both servers listed");

        var listed = harness.Probe.Received.OfType<DataMessage>().Where(d => IsEvent(d, "mcp_tools"))
            .ToDictionary(d => d.GetString("server_label")!, d => d.Properties["tools"]!.AsArray().Select(t => t!.GetValue<string>()).ToList());
        Assert.Equal(["book_table"], listed["dining"]);
        Assert.Equal(["get_weather"], listed["weather"]); // each server's allowed_tools
        Assert.All(harness.Probe.Received.OfType<DataMessage>().Where(d => IsEvent(d, "mcp_tools")), d => Assert.False(d.Properties["failed"]!.GetValue<bool>()));

        await harness.Text!.SayAsync(Ct);
        await harness.WaitForAsync(p => p.Received.OfType<DataMessage>().Any(d => IsEvent(d, "mcp_call") && d.GetString("state") == "completed"), "the weather call, run without approval");

        Assert.Equal("Paris", Assert.Single(weather.Calls).Arguments["city"]);
        Assert.Empty(dining.Calls);
        Assert.DoesNotContain(harness.Probe.Received.OfType<DataMessage>(), d => IsEvent(d, "mcp_approval_request"));
    }

    private static Cmd Approval(string requestId, bool approve)
    {
        var cmd = new Cmd("mcp_approval");
        cmd.Set("request_id", requestId);
        cmd.Set("approve", approve);
        return cmd;
    }
}
