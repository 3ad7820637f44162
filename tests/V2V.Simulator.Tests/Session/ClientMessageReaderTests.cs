using System.Net.WebSockets;
using V2V.Simulator.Session;
using V2V.Testing;

namespace V2V.Simulator.Tests.Session;

/// <summary>Whole client messages off a WebSocket (a plain loopback pair, no server): fragments joined, the oversized skipped.</summary>
public sealed class ClientMessageReaderTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AMessageInFragments_LargerThanTheFirstBuffer_IsReadWhole()
    {
        await using var pair = await WebSocketPair.ConnectAsync(Ct);
        using var reader = new ClientMessageReader(pair.Server);
        var message = Enumerable.Range(0, 200_000).Select(i => (byte)('a' + (i % 26))).ToArray();

        await pair.Client.SendAsync(message.AsMemory(0, 70_000), WebSocketMessageType.Text, endOfMessage: false, Ct);
        await pair.Client.SendAsync(message.AsMemory(70_000), WebSocketMessageType.Text, endOfMessage: true, Ct);
        var read = await reader.ReadAsync(Ct);

        Assert.NotNull(read);
        Assert.False(read.Value.Oversized);
        Assert.Equal(message, read.Value.Bytes.ToArray());
    }

    [Fact]
    public async Task AMessageOverTheLimit_IsReportedOversized_AndTheNextIsReadAsUsual()
    {
        await using var pair = await WebSocketPair.ConnectAsync(Ct);
        using var reader = new ClientMessageReader(pair.Server);

        var sending = Task.Run(async () =>
        {
            await pair.Client.SendAsync(new byte[ClientMessageReader.MaxMessageBytes + 10], WebSocketMessageType.Text, endOfMessage: true, Ct);
            await pair.Client.SendAsync("{}"u8.ToArray(), WebSocketMessageType.Text, endOfMessage: true, Ct);
        }, Ct);
        var oversized = await reader.ReadAsync(Ct);
        var next = await reader.ReadAsync(Ct);
        await sending;

        Assert.True(oversized?.Oversized);
        Assert.False(next?.Oversized);
        Assert.Equal("{}"u8.ToArray(), next?.Bytes.ToArray());
    }

    [Fact]
    public async Task TheClientsClose_EndsTheReading()
    {
        await using var pair = await WebSocketPair.ConnectAsync(Ct);
        using var reader = new ClientMessageReader(pair.Server);

        await pair.Client.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, Ct);

        Assert.Null(await reader.ReadAsync(Ct));
    }
}
