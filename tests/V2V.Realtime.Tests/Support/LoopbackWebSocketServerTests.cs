using V2V.Realtime.Client;
using V2V.Realtime.Protocol.ClientEvents;
using V2V.Testing;

namespace V2V.Realtime.Tests.Support;

/// <summary>The tests' loopback server keeps what a client said, however late its handler runs.</summary>
public sealed class LoopbackWebSocketServerTests
{
    [Fact]
    public async Task ALateHandler_StillRecordsWhatTheClientSentBeforeItLeft()
    {
        var ct = TestContext.Current.CancellationToken;
        var recorded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await LoopbackWebSocketServer.StartAsync(async (socket, srv, stopping) =>
        {
            try
            {
                // A handler a busy machine runs late: by then the client has sent everything, closed and gone. (With
                // Kestrel's RequestAborted as the token, cancelled once the client's connection ended, this recorded nothing.)
                await Task.Delay(TimeSpan.FromSeconds(1), CancellationToken.None);
                await srv.RecordUntilClosedAsync(socket, stopping);
                recorded.SetResult();
            }
            catch (Exception ex)
            {
                recorded.SetException(ex);
            }
        });
        await using (var client = await new RealtimeClient(new RealtimeClientOptions { BaseUri = server.BaseUri }).ConnectAsync(ct))
        {
            for (var i = 0; i < 16; i++)
            {
                await client.SendAsync(new InputAudioBufferClearEvent { EventId = $"e{i}" }, ct);
            }
            await client.CloseAsync(ct);
        }

        await recorded.Task.WaitAsync(ct);

        Assert.Equal([.. Enumerable.Range(0, 16).Select(i => $"e{i}")], server.ReceivedMessages.Select(m => System.Text.Json.JsonDocument.Parse(m).RootElement.GetProperty("event_id").GetString()));
    }
}
