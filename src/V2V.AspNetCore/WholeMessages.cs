using System.Net.WebSockets;
using System.Runtime.CompilerServices;

namespace V2V.AspNetCore;

/// <summary>
/// Whole WebSocket messages from a peer (a page, a phone line), each within the caller's buffer:
/// a message longer than the buffer closes the socket (MessageTooBig, naming the limit) instead of growing a buffer
/// at a peer's will. A read that waits (as nearly every one does: the peer sends every 20 ms) takes its state machine
/// from a pool, so a call's 50 messages a second allocate nothing here.
/// </summary>
internal static class WholeMessages
{
    /// <summary>The next whole message in <paramref name="buffer"/> (its length and type); null when the socket closed or was closed for a message too long.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public static async ValueTask<(int Count, WebSocketMessageType Type)?> ReceiveAsync(WebSocket socket, byte[] buffer, CancellationToken cancellationToken)
    {
        var count = 0;
        while (true)
        {
            if (count == buffer.Length)
            {
                await socket.CloseAsync(WebSocketCloseStatus.MessageTooBig, $"messages are limited to {buffer.Length} bytes", cancellationToken).ConfigureAwait(false);
                return null;
            }
            var result = await socket.ReceiveAsync(buffer.AsMemory(count), cancellationToken).ConfigureAwait(false);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }
            count += result.Count;
            if (result.EndOfMessage)
            {
                return (count, result.MessageType);
            }
        }
    }
}
