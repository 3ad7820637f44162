using System.Net.WebSockets;
using V2V.Playground.Tests.Support;

namespace V2V.Playground.Tests.Sessions;

/// <summary>
/// A page's message is read whole into a buffer of 64 KiB: one longer closes the session as MessageTooBig, naming the
/// limit, instead of growing a buffer at the page's will (PROTOCOL.md: microphone audio comes in frames of 10 to 100 ms).
/// </summary>
public sealed class MessageLimitTests
{
    [Fact]
    public async Task AMicrophoneMessageOverTheLimit_ClosesTheSession_NamingTheLimit()
    {
        using var loggers = TestLogging.Create();
        await using var server = await LocalPlayground.StartAsync(loggers);
        await using var page = await PageSocket.StartAsync(server);

        await page.SendBinaryAsync(new byte[64 * 1024 + 2]);

        var (status, reason) = await page.WaitForCloseAsync();
        Assert.Equal(WebSocketCloseStatus.MessageTooBig, status);
        Assert.Equal("messages are limited to 65536 bytes", reason);
    }

    [Fact]
    public async Task AStartMessageOverTheLimit_ClosesBeforeAnySession()
    {
        using var loggers = TestLogging.Create();
        await using var server = await LocalPlayground.StartAsync(loggers);
        await using var page = await PageSocket.OpenAsync(server);

        await page.SendAsync("""{"type":"start","instructions":" """ + new string('x', 70_000) + "\"}");

        var (status, _) = await page.WaitForCloseAsync();
        Assert.Equal(WebSocketCloseStatus.MessageTooBig, status);
        Assert.DoesNotContain(page.Received, m => PageSocket.Type(m) == "ready");
    }
}
