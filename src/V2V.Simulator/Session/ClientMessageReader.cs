using System.Buffers;
using System.Net.WebSockets;

namespace V2V.Simulator.Session;

/// <summary>A whole client message (its bytes valid until the next read), or the note that one was too large and skipped.</summary>
internal readonly record struct ClientMessage(ReadOnlyMemory<byte> Bytes, bool Oversized);

/// <summary>
/// Reads the client's messages whole, into one pooled buffer that grows as a message needs, up to
/// <see cref="MaxMessageBytes"/>; the bytes of a larger message are dropped and the message reported oversized.
/// </summary>
internal sealed class ClientMessageReader(WebSocket socket) : IDisposable
{
    /// <summary>OpenAI accepts up to 15 MiB of audio per append; a message may carry a little more (JSON around it).</summary>
    public const int MaxMessageBytes = 16 * 1024 * 1024;

    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);

    /// <summary>The status of the client's close frame once one came; null while none did (a dropped connection sends none).</summary>
    public WebSocketCloseStatus? ClientCloseStatus { get; private set; }

    /// <summary>The next message; null once the client closed or <paramref name="cancellationToken"/> was cancelled.</summary>
    public async Task<ClientMessage?> ReadAsync(CancellationToken cancellationToken)
    {
        var count = 0;
        var oversized = false;
        while (!cancellationToken.IsCancellationRequested)
        {
            var result = await socket.ReceiveAsync(_buffer.AsMemory(count), cancellationToken).ConfigureAwait(false);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                // A close frame without a status reads as Empty (1005): the client still closed cleanly.
                ClientCloseStatus = socket.CloseStatus ?? WebSocketCloseStatus.Empty;
                return null;
            }

            count += result.Count;
            if (count == _buffer.Length && !result.EndOfMessage)
            {
                if (_buffer.Length >= MaxMessageBytes)
                {
                    oversized = true;
                    count = 0;
                }
                else
                {
                    var larger = ArrayPool<byte>.Shared.Rent(Math.Min(MaxMessageBytes, _buffer.Length * 2));
                    _buffer.AsSpan(0, count).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(_buffer);
                    _buffer = larger;
                }
            }

            if (result.EndOfMessage)
            {
                return new ClientMessage(_buffer.AsMemory(0, count), oversized);
            }
        }

        return null;
    }

    public void Dispose() => ArrayPool<byte>.Shared.Return(_buffer);
}
