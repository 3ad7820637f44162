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

    private static Cmd Approval(string requestId, bool approve)
    {
        var cmd = new Cmd("mcp_approval");
        cmd.Set("request_id", requestId);
        cmd.Set("approve", approve);
        return cmd;
    }
}
