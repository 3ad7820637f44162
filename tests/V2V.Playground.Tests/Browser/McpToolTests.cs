using Microsoft.Playwright;
using V2V.Playground.Tests.Support;
using V2V.Testing;

using V2V.Testing.Browser;

namespace V2V.Playground.Tests.Browser;

/// <summary>
/// The agent's remote MCP server in a real browser: the page lists the server's tools, asks the visitor to allow a call
/// with Allow and Deny buttons, and shows the call and its result among the turns.
/// </summary>
public sealed class McpToolTests
{
    [Fact]
    public async Task ATypedBooking_IsAllowedWithTheButton_AndTheTranscriptShowsTheCallAndTheBooking()
    {
        await using var mcp = await TestMcpServer.StartAsync();
        using var loggers = TestLogging.Create();
        await using var server = await LocalPlayground.StartAsync(loggers, o =>
        {
            o.ExtensionProperties["mcp_server_url"] = mcp.Url.AbsoluteUri;
            o.ExtensionProperties["mcp_server_label"] = "dining";
            o.ExtensionProperties["mcp_require_approval"] = "always";
        });
        await using var chromium = await Chromium.LaunchAsync();
        var page = new PlaygroundPage(await chromium.NewPageAsync(server.PageUrl));
        await page.OpenAsync(server.PageUrl);

        await page.StartAsync();
        await page.WaitForAsync("s.mcp.some(e => e.kind === 'tools') && !document.getElementById('typed-text').disabled", "the MCP server's tools and the text box ready");
        Assert.Contains("tools of dining:", await page.TextAsync("#transcript"), StringComparison.Ordinal);
        await page.Page.GetByLabel("Type to the agent").FillAsync("book_table Chez Paul");
        await page.Page.GetByRole(AriaRole.Button, new() { Name = "Send" }).ClickAsync();

        var allow = page.Page.GetByRole(AriaRole.Button, new() { Name = "Allow", Exact = true });
        await allow.WaitForAsync(); // the prompt (Playwright's guard: PlaygroundPage.Patience)
        Assert.Empty(mcp.Calls); // nothing runs before the visitor allows it
        await allow.ClickAsync();

        await page.WaitForAsync("s.mcp.some(e => e.kind === 'call' && e.state === 'completed')", "the call completed");
        await page.WaitForAsync("s.transcript.some(t => t.role === 'assistant' && t.text.includes('Booked a table at Chez Paul'))", "the agent telling the booking");
        var shown = await page.TextAsync("#transcript");
        Assert.Contains("book_table Chez Paul", shown, StringComparison.Ordinal); // the typed turn
        Assert.Contains("book_table({\"restaurant\":\"Chez Paul\"})", shown, StringComparison.Ordinal);
        Assert.Contains("→ Booked a table at Chez Paul", shown, StringComparison.Ordinal);
        Assert.Contains("allowed", shown, StringComparison.Ordinal);
        Assert.Equal(0, await page.Page.GetByRole(AriaRole.Button, new() { Name = "Allow", Exact = true }).CountAsync());
        Assert.Equal(0, await page.Page.GetByRole(AriaRole.Button, new() { Name = "Deny", Exact = true }).CountAsync());
        var booked = Assert.Single(mcp.Calls);
        Assert.Equal(("book_table", "Chez Paul"), (booked.Tool, booked.Arguments["restaurant"]));
        Assert.Empty((await page.StatsAsync()).GetProperty("errors").EnumerateArray());

        await page.StopAsync();
        await page.WaitForAsync("s.state === 'stopped'", "the stopped state");
    }
}
