using Microsoft.Extensions.AI;
using V2V.Realtime.Client;
using V2V.Realtime.Protocol.ServerEvents;
using V2V.Simulator;
using V2V.Testing;
using MeaiItem = Microsoft.Extensions.AI.RealtimeConversationItem;

namespace V2V.Realtime.Extensions.AI.Tests;

/// <summary>
/// MEAI's <see cref="HostedMcpServerTool"/> is the service's <c>mcp</c> tool: the local realtime server lists and calls a
/// real MCP server's tools with it, and the call comes back as MEAI's MCP contents.
/// </summary>
public sealed class HostedMcpServerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AHostedMcpServer_IsListedAndCalledByTheService_AndTheCallComesAsMcpContents()
    {
        await using var mcp = await TestMcpServer.StartAsync();
        await using var server = await LocalRealtimeServer.StartAsync(new LocalRealtimeServerOptions { SpeedFactor = 0 }, Ct);
        using var client = new RealtimeClient(new RealtimeClientOptions { BaseUri = server.BaseUri, ApiKey = "test-key" }).AsIRealtimeClient();
        var tool = new HostedMcpServerTool("city_info", mcp.Url)
        {
            ApprovalMode = HostedMcpServerToolApprovalMode.NeverRequire,
            AllowedTools = ["get_weather"],
        };
        await using var session = await client.CreateSessionAsync(new RealtimeSessionOptions { Tools = [tool], OutputModalities = ["text"] }, Ct);

        var messages = new List<RealtimeServerMessage>();
        var asked = false;
        await foreach (var message in session.GetStreamingResponseAsync(Ct))
        {
            messages.Add(message);
            if (!asked && message.RawRepresentation is McpListToolsCompletedEvent)
            {
                // The model can use the server's tools once they are listed.
                asked = true;
                await session.SendAsync(new CreateConversationItemRealtimeClientMessage(new MeaiItem([new TextContent("get_weather Paris")], role: ChatRole.User)), Ct);
                await session.SendAsync(new CreateResponseRealtimeClientMessage(), Ct);
            }
            if (message.Type == RealtimeServerMessageType.ResponseDone)
            {
                break;
            }
        }

        Assert.True(asked, "the tools were listed");
        Assert.DoesNotContain(messages, m => m is ErrorRealtimeServerMessage);
        var done = Assert.IsType<ResponseCreatedRealtimeServerMessage>(messages[^1]);
        var contents = done.Items!.SelectMany(i => i.Contents).ToList();
        var call = Assert.Single(contents.OfType<McpServerToolCallContent>());
        Assert.Equal(("get_weather", "city_info", "Paris"), (call.Name, call.ServerName, call.Arguments?["city"]?.ToString()));
        var result = Assert.Single(contents.OfType<McpServerToolResultContent>());
        Assert.Equal(call.CallId, result.CallId);
        Assert.Contains("Sunny in Paris", Assert.IsType<TextContent>(Assert.Single(result.Outputs!)).Text, StringComparison.Ordinal);
        Assert.Equal("Paris", Assert.Single(mcp.Calls).Arguments["city"]);
    }
}
