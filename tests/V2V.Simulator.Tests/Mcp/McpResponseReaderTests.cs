using System.Net.Http.Headers;
using System.Text;
using V2V.Simulator.Mcp;

namespace V2V.Simulator.Tests.Mcp;

/// <summary>The answer to a request, read from either body the Streamable HTTP transport allows, and refused when it is not one.</summary>
public sealed class McpResponseReaderTests
{
    [Fact]
    public async Task AnEventStream_GivesTheResponseToTheRequest_PassingOverWhatComesBefore()
    {
        var stream = """
            id: 1
            data:

            : a comment
            event: message
            data: {"jsonrpc":"2.0","method":"notifications/message","params":{"level":"info"}}

            data: {"jsonrpc":"2.0","id":6,"result":{"other":true}}

            data: {"jsonrpc":"2.0","id":7,
            data:  "result":{"tools":[]}}

            """;

        var response = await ReadAsync(stream, "text/event-stream", id: 7);

        Assert.NotNull(response["result"]!["tools"]);
    }

    [Fact]
    public async Task PlainJson_GivesTheResponse_AndAnErrorResponseIsOne()
    {
        var response = await ReadAsync("""{"jsonrpc":"2.0","id":3,"error":{"code":-32601,"message":"Method not found"}}""", "application/json", id: 3);

        Assert.Equal(-32601, response["error"]!["code"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("data: {\"jsonrpc\":\"2.0\",\"id\":6,\"result\":{}}\n\n", "text/event-stream", "ended without the response to request 7")]
    [InlineData("not json", "application/json", "not JSON")]
    [InlineData("<html></html>", "text/html", "'text/html'")]
    public async Task WhatIsNotTheResponse_IsAMalformedAnswer(string body, string mediaType, string why)
    {
        var failure = await Assert.ThrowsAsync<McpRemoteError>(() => ReadAsync(body, mediaType, id: 7));

        Assert.Equal(McpFailureKind.Malformed, failure.Kind);
        Assert.Contains(why, failure.Message, StringComparison.Ordinal);
        Assert.Equal("protocol_error", failure.ToCallError()["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task AnAnswerLargerThanTheBound_IsRefused_BeforeItIsAllRead()
    {
        var huge = "data: {\"padding\":\"" + new string('x', 5000) + "\"}\n\n";

        var failure = await Assert.ThrowsAsync<McpRemoteError>(() => ReadAsync(huge, "text/event-stream", id: 1, maxBytes: 1024));

        Assert.Contains("exceeds 1024 bytes", failure.Message, StringComparison.Ordinal);
    }

    private static async Task<System.Text.Json.Nodes.JsonObject> ReadAsync(string body, string mediaType, long id, long maxBytes = McpConnection.MaxResponseBytes)
    {
        using var content = new StringContent(body.Replace("\r\n", "\n", StringComparison.Ordinal), Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        return await McpResponseReader.ReadAsync(content, id, maxBytes, TestContext.Current.CancellationToken);
    }
}
