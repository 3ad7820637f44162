using System.Net.WebSockets;
using System.Text;

namespace V2V.AspNetCore;

/// <summary>
/// The one way out to a page's socket (a WebSocket takes one send at a time): the session's voice and events from the
/// output pump, errors from the input loop, the close from either. Nothing queues here: the session paces its voice and
/// bounds its own output, and a page that stops reading stalls a send, which fails after <c>timeout</c> and ends the
/// session instead of holding it forever. The session's key, should any text contain it, is masked here, the last stop
/// before the browser.
/// </summary>
internal sealed class PageSender(WebSocket socket, TimeSpan timeout, CancellationToken aborted) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly CancellationTokenSource _guard = CancellationTokenSource.CreateLinkedTokenSource(aborted);
    private byte[]? _secret;
    private bool _closed;

    /// <summary>False once a send failed or timed out, or the socket was closed from this side.</summary>
    public bool IsOpen => !_closed && !_guard.IsCancellationRequested && socket.State is WebSocketState.Open or WebSocketState.CloseReceived;

    /// <summary>Masks <paramref name="secret"/> in every text from now on (the session's key, once it is known).</summary>
    public void Mask(string? secret) => _secret = string.IsNullOrEmpty(secret) ? null : Encoding.UTF8.GetBytes(secret);

    public ValueTask<bool> SendAudioAsync(ReadOnlyMemory<byte> pcm16) => SendAsync(pcm16, WebSocketMessageType.Binary);

    public ValueTask<bool> SendJsonAsync(byte[] utf8Json) => SendAsync(Masked(utf8Json), WebSocketMessageType.Text);

    /// <summary>Sends the close (once); the page answers it, which ends the input loop's read.</summary>
    public async ValueTask CloseAsync(WebSocketCloseStatus status, string reason)
    {
        await _gate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            if (_closed || socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
            {
                return;
            }
            _closed = true;
            _guard.CancelAfter(timeout);
            await socket.CloseOutputAsync(status, reason, _guard.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The page is gone: there is no one to tell.
        }
        finally
        {
            _gate.Release();
        }
    }

    private async ValueTask<bool> SendAsync(ReadOnlyMemory<byte> message, WebSocketMessageType type)
    {
        await _gate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            if (!IsOpen)
            {
                return false;
            }
            _guard.CancelAfter(timeout);
            await socket.SendAsync(message, type, endOfMessage: true, _guard.Token).ConfigureAwait(false);
            _guard.CancelAfter(Timeout.InfiniteTimeSpan);
            return true;
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            _closed = true; // a cancelled send aborts the socket: nothing more goes out
            return false;
        }
        finally
        {
            _gate.Release();
        }
    }

    private byte[] Masked(byte[] utf8Json)
    {
        if (_secret is null || utf8Json.AsSpan().IndexOf(_secret) < 0)
        {
            return utf8Json;
        }
        // A key is letters, digits, '-' and '_': JSON writes it unescaped, so the bytes are the key's own.
        return Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(utf8Json).Replace(Encoding.UTF8.GetString(_secret), "***", StringComparison.Ordinal));
    }

    public void Dispose()
    {
        _guard.Dispose();
        _gate.Dispose();
    }
}
