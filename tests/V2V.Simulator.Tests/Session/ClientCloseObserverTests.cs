using System.Net.WebSockets;
using V2V.Simulator.Tests.Support;

namespace V2V.Simulator.Tests.Session;

/// <summary>The server tells how each client left: with a close frame (and its status) or by dropping the connection.</summary>
public sealed class ClientCloseObserverTests
{
    /// <summary>A guard only: the server sees the end of a loopback connection at once.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task AClientThatCloses_IsSeenWithItsCloseStatus()
    {
        var ended = new TaskCompletionSource<WebSocketCloseStatus?>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await Servers.StartAsync(o => o.ClientCloseObserver = s => ended.TrySetResult(s));
        var (client, _) = await RealtimeTestClient.StartAsync(server);

        await client.DisposeAsync(); // a normal closure

        Assert.Equal(WebSocketCloseStatus.NormalClosure, await ended.Task.WaitAsync(Patience, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task AClientThatDropsTheConnection_IsSeenWithoutACloseStatus()
    {
        var ended = new TaskCompletionSource<WebSocketCloseStatus?>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await Servers.StartAsync(o => o.ClientCloseObserver = s => ended.TrySetResult(s));
        var (client, _) = await RealtimeTestClient.StartAsync(server);
        await using var _c = client;

        client.Abort();

        Assert.Null(await ended.Task.WaitAsync(Patience, TestContext.Current.CancellationToken));
    }
}
