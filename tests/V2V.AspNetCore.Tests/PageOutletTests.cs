using System.Net.WebSockets;
using System.Text;
using V2V.Testing;

namespace V2V.AspNetCore.Tests;

/// <summary>
/// The session's way out while its page is away and when it comes back (a real WebSocket pair): events kept in order,
/// at most <see cref="PageOutlet.MaxParkedEvents"/>, the oldest dropped beyond that and the page told how many.
/// </summary>
public sealed class PageOutletTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EventsWhileThePageIsAway_AreKeptAndSentAfterReady_TheOldestDroppedBeyondTheBound_AndThePageTold()
    {
        await using var pair = await WebSocketPair.ConnectAsync(Ct);
        using var sender = new PageSender(pair.Server, TimeSpan.FromSeconds(10), Ct);
        using var outlet = new PageOutlet();
        var extra = 10;
        for (var i = 0; i < PageOutlet.MaxParkedEvents + extra; i++)
        {
            Assert.Equal(PageOutlet.Delivery.Away, await outlet.SendJsonAsync(Encoding.UTF8.GetBytes($$"""{"type":"event","n":{{i}}}""")));
        }

        Assert.True(await outlet.AttachAsync(sender, """{"type":"ready"}"""u8.ToArray(), dropped => Encoding.UTF8.GetBytes($$"""{"type":"error","dropped":{{dropped}}}""")));
        Assert.Equal(PageOutlet.Delivery.Sent, await outlet.SendJsonAsync("""{"type":"after"}"""u8.ToArray()));

        var received = new List<string>();
        var buffer = new byte[1024];
        while (received.Count < PageOutlet.MaxParkedEvents + 3)
        {
            var result = await pair.Client.ReceiveAsync(buffer, Ct);
            Assert.Equal(WebSocketMessageType.Text, result.MessageType);
            received.Add(Encoding.UTF8.GetString(buffer, 0, result.Count));
        }
        Assert.Equal("""{"type":"ready"}""", received[0]);
        Assert.Equal($$"""{"type":"error","dropped":{{extra}}}""", received[1]);
        Assert.Equal(Enumerable.Range(extra, PageOutlet.MaxParkedEvents).Select(i => $$"""{"type":"event","n":{{i}}}"""), received.Skip(2).Take(PageOutlet.MaxParkedEvents));
        Assert.Equal("""{"type":"after"}""", received[^1]);
        Assert.Equal(0, outlet.Dropped);
    }
}
