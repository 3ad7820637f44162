using System.Text;
using System.Text.Json;
using V2V.Playground.Tests.Support;
using V2V.Testing;

namespace V2V.Playground.Tests.Sessions;

/// <summary>
/// The agent's remote MCP server at the WebSocket level of PROTOCOL.md: the page sees the tools listed, each approval
/// request and each call as an <c>event</c>, and answers a request with <c>mcp_approval</c>; an answer that is malformed
/// or that the agent refuses is a non-fatal <c>error</c>. The MCP server's token never reaches the page. Against the
/// local realtime server, which calls a real MCP server on loopback as the service would.
/// </summary>
public sealed class McpApprovalTests
{
    [Fact]
    public async Task ABookingTheVisitorAllows_RunsOnceOnTheMcpServer_AndTheAnswerSaysSo()
    {
        var token = "mcp-token-" + Guid.NewGuid().ToString("N");
        await using var mcp = await TestMcpServer.StartAsync(new TestMcpServerOptions { RequiredBearerToken = token });
        using var loggers = TestLogging.Create();
        await using var server = await LocalPlayground.StartAsync(loggers, o =>
        {
            o.ExtensionProperties["mcp_server_url"] = mcp.Url.AbsoluteUri;
            o.ExtensionProperties["mcp_server_label"] = "dining";
            o.ExtensionProperties["mcp_require_approval"] = "always";
            o.ExtensionProperties["mcp_authorization"] = token;
        });
        await using var page = await PageSocket.StartAsync(server);

        var listed = await page.WaitForAsync(m => IsEvent(m, "mcp_tools"));
        Assert.Equal("dining", listed.GetProperty("serverLabel").GetString());
        Assert.Contains("book_table", listed.GetProperty("tools").EnumerateArray().Select(t => t.GetString()));
        Assert.False(listed.GetProperty("failed").GetBoolean());

        await page.SendAsync("""{"type":"text","text":"book_table Chez Paul"}""");
        var request = await page.WaitForAsync(m => IsEvent(m, "mcp_approval_request"));
        Assert.Equal(("dining", "book_table"), (request.GetProperty("serverLabel").GetString(), request.GetProperty("name").GetString()));
        Assert.Contains("Chez Paul", request.GetProperty("arguments").GetString(), StringComparison.Ordinal);
        var requestId = request.GetProperty("requestId").GetString()!;
        Assert.Empty(mcp.Calls);

        await page.SendAsync($$"""{"type":"mcp_approval","requestId":"{{requestId}}","approve":true}""");

        var call = await page.WaitForAsync(m => IsEvent(m, "mcp_call") && m.GetProperty("state").GetString() == "completed");
        Assert.Equal(("dining", "book_table"), (call.GetProperty("serverLabel").GetString(), call.GetProperty("name").GetString()));
        Assert.Contains("Booked a table at Chez Paul", call.GetProperty("output").GetString(), StringComparison.Ordinal);
        var said = new StringBuilder();
        await page.WaitForAsync(m =>
        {
            if (PageSocket.Type(m) == "transcript" && m.GetProperty("role").GetString() == "assistant")
            {
                said.Append(m.GetProperty("text").GetString()).Append(' ');
            }
            return said.ToString().Contains("Booked a table at Chez Paul", StringComparison.Ordinal);
        });
        var booked = Assert.Single(mcp.Calls);
        Assert.Equal(("book_table", "Chez Paul"), (booked.Tool, booked.Arguments["restaurant"]));
        Assert.Equal($"Bearer {token}", booked.Authorization); // the token was the MCP server's, used where it belongs

        // Answered once: a second answer is refused, and the session goes on.
        await page.SendAsync($$"""{"type":"mcp_approval","requestId":"{{requestId}}","approve":true}""");
        var again = await NextErrorAsync(page);
        Assert.Equal("mcp_approval_refused", again.GetProperty("code").GetString());
        Assert.False(again.GetProperty("fatal").GetBoolean());
        Assert.Single(mcp.Calls);
        await StopAsync(page);
        AssertNeverSent(page, token);
    }

    [Fact]
    public async Task AnUnknownOrMalformedAnswer_IsANonFatalErrorNamingWhy_AndNoMessageHoldsTheToken()
    {
        var token = "mcp-token-" + Guid.NewGuid().ToString("N");
        await using var mcp = await TestMcpServer.StartAsync(new TestMcpServerOptions { RequiredBearerToken = token });
        using var loggers = TestLogging.Create();
        await using var server = await LocalPlayground.StartAsync(loggers, o =>
        {
            o.ExtensionProperties["mcp_server_url"] = mcp.Url.AbsoluteUri;
            o.ExtensionProperties["mcp_authorization"] = "${env:TEST_MCP_TOKEN}";
            o.Environment = name => name == "TEST_MCP_TOKEN" ? token : null;
        });
        await using var page = await PageSocket.StartAsync(server);
        await page.WaitForAsync(m => IsEvent(m, "mcp_tools"));

        await page.SendAsync("""{"type":"mcp_approval","requestId":"mcpr_unknown","approve":true}""");
        var unknown = await NextErrorAsync(page);
        Assert.Equal("mcp_approval_refused", unknown.GetProperty("code").GetString());
        Assert.False(unknown.GetProperty("fatal").GetBoolean());
        Assert.Contains("'mcpr_unknown' is not pending", unknown.GetProperty("message").GetString(), StringComparison.Ordinal);

        (string Message, string Field)[] malformed =
        [
            ("""{"type":"mcp_approval","approve":true}""", "requestId"),
            ("""{"type":"mcp_approval","requestId":"","approve":true}""", "requestId"),
            ($$"""{"type":"mcp_approval","requestId":"{{new string('r', 129)}}","approve":true}""", "requestId"),
            ("""{"type":"mcp_approval","requestId":"mcpr_1","approve":"yes"}""", "approve"),
            ("""{"type":"mcp_approval","requestId":"mcpr_1"}""", "approve"),
            ($$"""{"type":"mcp_approval","requestId":"mcpr_1","approve":false,"reason":"{{new string('x', 1001)}}"}""", "reason"),
            ("""{"type":"mcp_approval","requestId":"mcpr_1","approve":false,"reason":7}""", "reason"),
        ];
        foreach (var (message, field) in malformed)
        {
            await page.SendAsync(message);
            var error = await NextErrorAsync(page);
            Assert.Equal("bad_mcp_approval", error.GetProperty("code").GetString());
            Assert.False(error.GetProperty("fatal").GetBoolean());
            Assert.Contains($" {field} ", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        }

        // The last line of defence: a refusal that would echo the token back (here the page sent it as the id) shows *** instead.
        await page.SendAsync($$"""{"type":"mcp_approval","requestId":"{{token}}","approve":false}""");
        var echoed = await NextErrorAsync(page);
        Assert.Contains("'***' is not pending", echoed.GetProperty("message").GetString(), StringComparison.Ordinal);
        using var http = new HttpClient { BaseAddress = server.Addresses[0] };
        Assert.DoesNotContain(token, await http.GetStringAsync("/api/info", TestContext.Current.CancellationToken), StringComparison.Ordinal);
        await StopAsync(page);
        AssertNeverSent(page, token);
        Assert.Empty(mcp.Calls);
    }

    private static bool IsEvent(JsonElement message, string kind) =>
        PageSocket.Type(message) == "event" && message.GetProperty("kind").GetString() == kind;

    // The first error event after those already received (WaitForAsync looks at every message from the first).
    private static Task<JsonElement> NextErrorAsync(PageSocket page)
    {
        var before = page.Received.Count(m => PageSocket.Type(m) == "error");
        var errors = 0;
        return page.WaitForAsync(m => PageSocket.Type(m) == "error" && ++errors > before);
    }

    private static async Task StopAsync(PageSocket page)
    {
        await page.SendAsync("""{"type":"stop"}""");
        await page.WaitForCloseAsync();
    }

    private static void AssertNeverSent(PageSocket page, string token)
    {
        Assert.NotEmpty(page.Received);
        Assert.DoesNotContain(page.Received, m => m.GetRawText().Contains(token, StringComparison.Ordinal));
    }
}
