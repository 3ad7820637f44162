using System.Net.WebSockets;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using V2V.AspNetCore.Tests.Support;

namespace V2V.AspNetCore.Tests;

/// <summary>
/// Tools a page runs itself (<c>tools</c> in <c>start</c>): the agent's call comes to the page as <c>tool_call</c>, the
/// page's <c>tool_result</c> is the output the model answers from; a page that fails or does not answer gives the model
/// an output naming the fault, and the conversation goes on. The local realtime server calls a tool a user text names.
/// </summary>
public sealed class PageToolsTests
{
    private static JsonObject ShowProduct => new()
    {
        ["name"] = "show_product",
        ["description"] = "Shows a product on the user's screen.",
        ["parameters"] = new JsonObject
        {
            ["type"] = "object",
            ["properties"] = new JsonObject { ["product"] = new JsonObject { ["type"] = "string" } },
            ["required"] = new JsonArray("product"),
        },
    };

    [Fact]
    public async Task TheAgentCallsThePagesTool_AndAnswersFromWhatThePageReturned()
    {
        await using var app = await VoiceAgentApp.StartAsync();
        await using var page = await PageClient.ConnectAsync(app.VoiceUri);
        await StartWithToolsAsync(page, ShowProduct);
        await page.NextAsync("ready");

        await page.SendJsonAsync(new JsonObject { ["type"] = "text", ["text"] = "Please show_product red shoes" });
        var call = await page.NextAsync("tool_call");
        await page.SendJsonAsync(new JsonObject { ["type"] = "tool_result", ["callId"] = call["callId"]!.DeepClone(), ["output"] = new JsonObject { ["shown"] = true, ["price"] = 42 } });
        var answer = await page.NextAnswerAsync("the answer after the tool");

        Assert.Equal("show_product", (string?)call["name"]);
        Assert.Equal("red shoes", (string?)call["arguments"]!["product"]);
        var update = Assert.Single(app.Sent("session.update"), u => u.GetRawText().Contains("show_product", StringComparison.Ordinal));
        Assert.Contains("Shows a product on the user", update.GetRawText(), StringComparison.Ordinal);
        var output = Assert.Single(await app.SentAsync("conversation.item.create", e => e.GetProperty("item").GetProperty("type").GetString() == "function_call_output"),
            e => e.GetProperty("item").GetProperty("type").GetString() == "function_call_output");
        Assert.Equal("""{"shown":true,"price":42}""", output.GetProperty("item").GetProperty("output").GetString());
        Assert.Contains("returned", answer.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task APageToolThatFails_GivesTheModelItsError_AndALateOrUnknownResultIsANonFatalError()
    {
        await using var app = await VoiceAgentApp.StartAsync();
        await using var page = await PageClient.ConnectAsync(app.VoiceUri);
        await StartWithToolsAsync(page, ShowProduct);
        await page.NextAsync("ready");

        await page.SendJsonAsync(new JsonObject { ["type"] = "text", ["text"] = "show_product blue hat" });
        var call = await page.NextAsync("tool_call");
        await page.SendJsonAsync(new JsonObject { ["type"] = "tool_result", ["callId"] = call["callId"]!.DeepClone(), ["error"] = "the catalogue is closed" });
        var output = await app.SentAsync("conversation.item.create", e => e.GetProperty("item").GetProperty("type").GetString() == "function_call_output");
        await page.SendJsonAsync(new JsonObject { ["type"] = "tool_result", ["callId"] = call["callId"]!.DeepClone(), ["output"] = "again" });
        var late = await page.NextAsync("error");

        Assert.Contains("the catalogue is closed", output.Single(e => e.GetProperty("item").GetProperty("type").GetString() == "function_call_output").GetProperty("item").GetProperty("output").GetString(), StringComparison.Ordinal);
        Assert.Equal(("bad_message", false), ((string?)late["code"], (bool)late["fatal"]!));
        Assert.Contains("'callId'", (string?)late["message"], StringComparison.Ordinal);
        await page.NextAnswerAsync("the agent answers on"); // the model heard the failure and answered
    }

    [Fact]
    public async Task APageThatNeverAnswers_GivesTheModelATimeout_AndTheConversationGoesOn()
    {
        await using var app = await VoiceAgentApp.StartAsync(session: o => o.ToolTimeout = TimeSpan.FromMilliseconds(500));
        await using var page = await PageClient.ConnectAsync(app.VoiceUri);
        await StartWithToolsAsync(page, ShowProduct);
        await page.NextAsync("ready");

        await page.SendJsonAsync(new JsonObject { ["type"] = "text", ["text"] = "show_product green socks" });
        await page.NextAsync("tool_call");
        var output = await app.SentAsync("conversation.item.create", e => e.GetProperty("item").GetProperty("type").GetString() == "function_call_output");
        await page.NextAnswerAsync("the answer after the timeout");

        Assert.Contains("did not answer within", output.Single(e => e.GetProperty("item").GetProperty("type").GetString() == "function_call_output").GetProperty("item").GetProperty("output").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConfigureSession_SeesThePagesTools_AndMayTakeThemOut()
    {
        IReadOnlyList<string>? seen = null;
        await using var app = await VoiceAgentApp.StartAsync(endpoint: o => o.ConfigureSession = (_, session, _) =>
        {
            seen = [.. session.Tools.Select(t => t.Name)];
            session.Tools = [.. session.Tools.Where(t => t.Name != "delete_account")];
            return ValueTask.CompletedTask;
        });
        await using var page = await PageClient.ConnectAsync(app.VoiceUri);
        await StartWithToolsAsync(page, ShowProduct, new JsonObject { ["name"] = "delete_account" });
        await page.NextAsync("ready");

        Assert.Equal(["show_product", "delete_account"], seen);
        var update = app.Sent("session.update").Single(u => u.GetRawText().Contains("show_product", StringComparison.Ordinal));
        Assert.DoesNotContain("delete_account", update.GetRawText(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""[{"name":"has space"}]""", "'tools[0].name'")]
    [InlineData("""[{"name":"a"},{"name":"a"}]""", "'tools[1].name' 'a' is given twice")]
    [InlineData("""[{"name":"a","parameters":{"type":"string"}}]""", "'tools[0].parameters'")]
    [InlineData("""[{"name":"a","description":7}]""", "'tools[0].description'")]
    [InlineData("""{"name":"a"}""", "'tools' must be a list")]
    [InlineData("""[{"name":"get_time"}]""", "a tool of the app's")]
    public async Task BadToolsAreRefusedAtTheStart_NamingTheField(string tools, string expected)
    {
        await using var app = await VoiceAgentApp.StartAsync(session: o => o.Tools = [AIFunctionFactory.Create(() => "noon", "get_time")]);
        await using var page = await PageClient.ConnectAsync(app.VoiceUri);
        await page.SendTextAsync($$"""{"type":"start","sampleRate":16000,"tools":{{tools}}}""");

        var error = await page.NextAsync("error");
        Assert.Equal("bad_start", (string?)error["code"]);
        Assert.Contains(expected, (string?)error["message"], StringComparison.Ordinal);
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await page.ClosedAsync());
    }

    [Fact]
    public async Task AnEndpointThatTakesNoPageTools_RefusesAPageThatGivesThem()
    {
        await using var app = await VoiceAgentApp.StartAsync(endpoint: o => o.AllowPageTools = false);
        await using var page = await PageClient.ConnectAsync(app.VoiceUri);
        await StartWithToolsAsync(page, ShowProduct);

        var error = await page.NextAsync("error");
        Assert.Equal("bad_start", (string?)error["code"]);
        Assert.Contains("AllowPageTools", (string?)error["message"], StringComparison.Ordinal);
    }

    private static Task StartWithToolsAsync(PageClient page, params JsonObject[] tools) =>
        page.SendJsonAsync(new JsonObject { ["type"] = "start", ["sampleRate"] = 16000, ["tools"] = new JsonArray([.. tools]) });
}
