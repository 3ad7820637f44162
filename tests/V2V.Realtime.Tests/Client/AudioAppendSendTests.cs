using System.Text.Json;
using V2V.Realtime.Client;
using V2V.Testing;

namespace V2V.Realtime.Tests.Client;

/// <summary>
/// Appends over a real WebSocket, as the server reads them. The caller's fast path writes each append into one buffer
/// the connection keeps; a long append takes a pooled buffer instead.
/// </summary>
public sealed class AudioAppendSendTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AppendsOfChangingSizes_ArriveExactlyAsSent_InOrder()
    {
        await using var server = await LoopbackWebSocketServer.StartAsync((socket, s, ct) => s.RecordUntilClosedAsync(socket, ct));
        var client = await new RealtimeClient(new RealtimeClientOptions { BaseUri = server.BaseUri }).ConnectAsync(Ct);
        // Longer, then shorter (a shorter append must not carry the tail of the longer one before it in the same
        // buffer), then longer than the kept buffer grows to (pooled), then short again.
        int[] sizes = [960, 480, 2, 1920, 48_000, 960];
        var sent = sizes.Select((size, i) => Enumerable.Range(0, size).Select(b => (byte)(b * 7 + i)).ToArray()).ToList();

        foreach (var audio in sent)
        {
            await client.SendAudioAsync(audio, Ct);
        }
        await client.CloseAsync(Ct);
        await client.DisposeAsync();

        var received = await server.WaitForMessagesAsync(sent.Count, Ct);
        Assert.Equal(sent.Count, received.Count);
        for (var i = 0; i < sent.Count; i++)
        {
            using var json = JsonDocument.Parse(received[i]);
            Assert.Equal("input_audio_buffer.append", json.RootElement.GetProperty("type").GetString());
            Assert.Equal(sent[i], json.RootElement.GetProperty("audio").GetBytesFromBase64());
        }
    }
}
