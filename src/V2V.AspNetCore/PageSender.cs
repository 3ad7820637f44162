using System.Net.WebSockets;

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
    private SecretMask _secrets = SecretMask.None;
    private bool _closed;

    /// <summary>False once a send failed or timed out, or the socket was closed from this side.</summary>
    public bool IsOpen => !_closed && !_guard.IsCancellationRequested && socket.State is WebSocketState.Open or WebSocketState.CloseReceived;

    /// <summary>Masks <paramref name="secrets"/> in every text from now on (the session's key and tokens, once known).</summary>
    public void Mask(SecretMask secrets) => _secrets = secrets;

    public ValueTask<bool> SendAudioAsync(ReadOnlyMemory<byte> pcm16) => SendAsync(pcm16, WebSocketMessageType.Binary);

    public ValueTask<bool> SendJsonAsync(byte[] utf8Json) => SendAsync(_secrets.Apply(utf8Json), WebSocketMessageType.Text);

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

    public void Dispose()
    {
        _guard.Dispose();
        _gate.Dispose();
    }
}
