using System.Text.Json;
using Microsoft.Extensions.Logging;
using V2V.Testing;
using V2V.Voice.Outputs;
using V2V.Voice.Tests.Support;

namespace V2V.Voice.Tests.Tools;

/// <summary>
/// <see cref="VoiceSessionOptions.McpServers"/> through a session: the local realtime server, as the service does, lists
/// the tools of a real MCP server (the official SDK's, on loopback), calls them and speaks their results; the session
/// tells the host each listing, call and approval request, sends the host's approvals back, and keeps what was called in
/// the history, so that a new connection is told of the call instead of making it again. The server's token reaches the
/// MCP server, and nothing else: not the logs.
/// </summary>
public sealed class McpServerSessionTests
{
    private const string Token = "mcp-token-5f1c9";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TheServersTools_AreListed_CalledByTheService_AndTheResultSpoken_TheTokenOnlyGoingToTheServer()
    {
        await using var mcp = await TestMcpServer.StartAsync(new TestMcpServerOptions { RequiredBearerToken = Token });
        var logs = new CapturingLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(logs));
        await using var harness = await SessionHarness.StartAsync(o =>
        {
            o.McpServers.Add(new McpServer { Label = "city_info", Url = mcp.Url, Authorization = Token, Approval = McpApproval.Never });
            o.LoggerFactory = loggerFactory;
        });

        var listed = (await harness.WaitForAsync(o => o.OfType<McpToolsOutput>().Any(), "the tools listed")).OfType<McpToolsOutput>().Single();
        Assert.Equal(("city_info", false), (listed.ServerLabel, listed.Failed));
        Assert.Contains("get_weather", listed.Tools);

        await harness.Session.SendTextAsync("get_weather Paris", Ct);
        var outputs = await harness.WaitForAsync(o => o.OfType<McpCallOutput>().Any(c => c.State != McpCallState.Started) && SessionHarness.HasFinalAssistantTranscript(o), "the call and its answer");

        var calls = outputs.OfType<McpCallOutput>().ToList();
        Assert.Equal([McpCallState.Started, McpCallState.Completed], calls.Select(c => c.State));
        Assert.All(calls, c => Assert.Equal((calls[0].ItemId, "city_info", "get_weather"), (c.ItemId, c.ServerLabel, c.Name)));
        Assert.Equal("Paris", JsonDocument.Parse(calls[0].Arguments).RootElement.GetProperty("city").GetString());
        Assert.Contains("Sunny in Paris", calls[1].Output, StringComparison.Ordinal);
        var answer = outputs.OfType<TranscriptOutput>().Last(t => t.Role == TranscriptRole.Assistant && t.IsFinal);
        Assert.Contains("Sunny in Paris", answer.Text, StringComparison.Ordinal);
        // The MCP server was called once, with the arguments and the token; the token is in no log line.
        var call = Assert.Single(mcp.Calls);
        Assert.Equal(("get_weather", "Paris", $"Bearer {Token}"), (call.Tool, call.Arguments["city"], call.Authorization));
        Assert.NotEmpty(logs.Lines);
        Assert.DoesNotContain(logs.Lines, l => l.Contains(Token, StringComparison.Ordinal));
        Assert.Empty(outputs.OfType<ErrorOutput>());
    }

    [Fact]
    public async Task ACallNeedingApproval_WaitsForTheHost_ThenRuns_AndIsAnsweredOnce()
    {
        await using var mcp = await TestMcpServer.StartAsync();
        await using var harness = await SessionHarness.StartAsync(o => o.McpServers.Add(new McpServer
        {
            Label = "dining", Url = mcp.Url, Approval = McpApproval.Always, ToolsWithoutApproval = ["get_weather"],
        }));
        await harness.WaitForAsync(o => o.OfType<McpToolsOutput>().Any(), "the tools listed");

        await harness.Session.SendTextAsync("book_table Chez Paul", Ct);
        var request = (await harness.WaitForAsync(o => o.OfType<McpApprovalRequestOutput>().Any(), "the approval request")).OfType<McpApprovalRequestOutput>().Single();
        Assert.Equal(("dining", "book_table"), (request.ServerLabel, request.Name));
        Assert.Equal("Chez Paul", JsonDocument.Parse(request.Arguments).RootElement.GetProperty("restaurant").GetString());
        Assert.Empty(mcp.Calls); // nothing runs before the host says so

        await harness.Session.AnswerMcpApprovalAsync(request.RequestId, approve: true, cancellationToken: Ct);
        var outputs = await harness.WaitForAsync(o => o.OfType<McpCallOutput>().Any(c => c.State == McpCallState.Completed), "the approved call");

        Assert.Contains("Booked a table at Chez Paul", outputs.OfType<McpCallOutput>().Single(c => c.State == McpCallState.Completed).Output, StringComparison.Ordinal);
        Assert.Equal("Chez Paul", Assert.Single(mcp.Calls).Arguments["restaurant"]);
        var again = await Assert.ThrowsAsync<InvalidOperationException>(() => harness.Session.AnswerMcpApprovalAsync(request.RequestId, approve: true, cancellationToken: Ct));
        Assert.Contains($"'{request.RequestId}' is not pending", again.Message, StringComparison.Ordinal);

        // A tool exempted from approval runs at once.
        await harness.Session.SendTextAsync("get_weather Oslo", Ct);
        await harness.WaitForAsync(o => o.OfType<McpCallOutput>().Any(c => c.Name == "get_weather" && c.State == McpCallState.Completed), "the look-up");
        Assert.Single(harness.Outputs.OfType<McpApprovalRequestOutput>());
        Assert.Equal(["book_table", "get_weather"], mcp.Calls.Select(c => c.Tool));
    }

    [Fact]
    public async Task ARefusedCall_DoesNotRun_AndTheModelSaysSo()
    {
        await using var mcp = await TestMcpServer.StartAsync();
        await using var harness = await SessionHarness.StartAsync(o => o.McpServers.Add(new McpServer { Label = "dining", Url = mcp.Url }));
        await harness.WaitForAsync(o => o.OfType<McpToolsOutput>().Any(), "the tools listed");

        await harness.Session.SendTextAsync("book_table Chez Paul", Ct);
        var request = (await harness.WaitForAsync(o => o.OfType<McpApprovalRequestOutput>().Any(), "the approval request")).OfType<McpApprovalRequestOutput>().Single();
        var finalsBefore = harness.Outputs.OfType<TranscriptOutput>().Count(t => t.Role == TranscriptRole.Assistant && t.IsFinal);
        await harness.Session.AnswerMcpApprovalAsync(request.RequestId, approve: false, reason: "the user changed their mind", cancellationToken: Ct);
        var outputs = await harness.WaitForAsync(o => o.OfType<TranscriptOutput>().Count(t => t.Role == TranscriptRole.Assistant && t.IsFinal) > finalsBefore, "the answer to the refusal");

        Assert.Contains("not approved", outputs.OfType<TranscriptOutput>().Last(t => t.Role == TranscriptRole.Assistant && t.IsFinal).Text, StringComparison.Ordinal);
        Assert.Empty(mcp.Calls);
        Assert.Empty(outputs.OfType<McpCallOutput>());
    }

    [Fact]
    public async Task AToolThatFails_IsToldAsFailed_AndAServerThatCannotBeListed_LeavesTheSessionWorking()
    {
        await using var mcp = await TestMcpServer.StartAsync();
        await using var broken = await TestMcpServer.StartAsync(new TestMcpServerOptions { AnswerHttp500 = true });
        await using var harness = await SessionHarness.StartAsync(o =>
        {
            o.McpServers.Add(new McpServer { Label = "kitchen", Url = mcp.Url, Approval = McpApproval.Never });
            o.McpServers.Add(new McpServer { Label = "broken", Url = broken.Url, Approval = McpApproval.Never });
        });
        var listings = (await harness.WaitForAsync(o => o.OfType<McpToolsOutput>().Count() == 2, "both listings")).OfType<McpToolsOutput>().ToList();
        Assert.False(listings.Single(l => l.ServerLabel == "kitchen").Failed);
        var failed = listings.Single(l => l.ServerLabel == "broken");
        Assert.True(failed.Failed);
        Assert.Empty(failed.Tools);

        await harness.Session.SendTextAsync("always_fails", Ct);
        var outputs = await harness.WaitForAsync(o => o.OfType<McpCallOutput>().Any(c => c.State == McpCallState.Failed) && SessionHarness.HasFinalAssistantTranscript(o), "the failed call and its answer");

        var call = outputs.OfType<McpCallOutput>().Single(c => c.State == McpCallState.Failed);
        Assert.Contains(TestMcpServer.FailureText, call.Error, StringComparison.Ordinal);
        Assert.Null(call.Output);
        Assert.Contains(TestMcpServer.FailureText, outputs.OfType<TranscriptOutput>().Last(t => t.Role == TranscriptRole.Assistant && t.IsFinal).Text, StringComparison.Ordinal);
        Assert.Equal(VoiceSessionState.Connected, harness.Session.State);
        Assert.DoesNotContain(outputs.OfType<ErrorOutput>(), e => e.Fatal);
    }

    [Fact]
    public async Task AToolRegisteredLater_KeepsTheServers_InTheToolsOfTheUpdate()
    {
        await using var mcp = await TestMcpServer.StartAsync();
        await using var harness = await SessionHarness.StartAsync(o => o.McpServers.Add(new McpServer { Label = "city_info", Url = mcp.Url, Approval = McpApproval.Never }));
        await harness.WaitForAsync(o => o.OfType<McpToolsOutput>().Any(), "the tools listed");

        await harness.Session.RegisterToolAsync(Microsoft.Extensions.AI.AIFunctionFactory.Create(() => "12:00", "get_time"), Ct);
        var updates = await harness.WaitForSentAsync("session.update", u => u.Count == 2, "the tool's update");

        var tools = updates[1].GetProperty("session").GetProperty("tools").EnumerateArray().ToList();
        Assert.Equal(["function", "mcp"], tools.Select(t => t.GetProperty("type").GetString()));
        Assert.Equal(("city_info", mcp.Url.AbsoluteUri, "never"), (tools[1].GetProperty("server_label").GetString(), tools[1].GetProperty("server_url").GetString(), tools[1].GetProperty("require_approval").GetString()));
        // The server still works after the update.
        await harness.Session.SendTextAsync("get_weather Rome", Ct);
        await harness.WaitForAsync(o => o.OfType<McpCallOutput>().Any(c => c.State == McpCallState.Completed), "the call after the update");
    }

    [Fact]
    public async Task ANewConnection_IsToldOfACallMade_AndDoesNotMakeItAgain()
    {
        await using var mcp = await TestMcpServer.StartAsync();
        await using var harness = await SessionHarness.StartAsync(o => o.McpServers.Add(new McpServer { Label = "city_info", Url = mcp.Url, Approval = McpApproval.Never }));
        await harness.WaitForAsync(o => o.OfType<McpToolsOutput>().Any(), "the tools listed");
        await harness.Session.SendTextAsync("get_weather Lima", Ct);
        await harness.WaitForAsync(o => o.OfType<McpCallOutput>().Any(c => c.State == McpCallState.Completed) && SessionHarness.HasFinalAssistantTranscript(o), "the call and its answer");

        harness.LoseTheConnectionAtTheServersNextEvent();
        await harness.Session.SendTextAsync("hello again", Ct);
        await harness.WaitForAsync(o => o.OfType<StateOutput>().Count(s => s.State == VoiceSessionState.Connected) >= 2, "the new connection");
        await harness.WaitForAsync(o => o.OfType<McpToolsOutput>().Count() >= 2, "the tools listed on the new connection");

        var notes = harness.Sent("conversation.item.create").Select(e => e.GetProperty("item"))
            .Where(i => i.GetProperty("type").GetString() == "message" && i.GetProperty("role").GetString() == "system")
            .Select(i => i.GetProperty("content")[0].GetProperty("text").GetString()).ToList();
        Assert.Contains(notes, n => n!.Contains("get_weather", StringComparison.Ordinal) && n.Contains("Sunny in Lima", StringComparison.Ordinal));
        Assert.Single(mcp.Calls);
    }
}
