using System.Net.WebSockets;
using Microsoft.AspNetCore.Http;

namespace V2V.AspNetCore;

/// <summary>
/// One socket of a page to its session. A session outlives a socket that is lost (a phone's network changes, a laptop
/// sleeps): the page opens another and resumes on it, so one session may have several links in turn, each held by the
/// request that accepted it until the session is done with it (<see cref="Done"/>).
/// </summary>
internal sealed class PageLink : IDisposable
{
    // How long the page has to answer a close before its socket is dropped.
    public static readonly TimeSpan ClosePatience = TimeSpan.FromSeconds(5);

    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public PageLink(HttpContext http, WebSocket socket, TimeSpan sendTimeout)
    {
        Http = http;
        Socket = socket;
        Sender = new PageSender(socket, sendTimeout, http.RequestAborted);
    }

    /// <summary>The request that opened the socket.</summary>
    public HttpContext Http { get; }

    public WebSocket Socket { get; }

    /// <summary>The one way out to this socket.</summary>
    public PageSender Sender { get; }

    /// <summary>The page's messages are read into this, one at a time.</summary>
    public byte[] Buffer { get; } = new byte[VoiceAgentConnection.MaxMessageBytes];

    /// <summary>Completes when the session is done with this socket: its request may then close it and end.</summary>
    public Task Done => _done.Task;

    public void Release() => _done.TrySetResult();

    /// <summary>Drops the socket at once, without a close (a lost page, or one a newer socket of the same page replaces).</summary>
    public void Abort() => Socket.Abort();

    /// <summary>
    /// The page's next whole message; <see cref="Received.Lost"/> when the socket failed under it (no close came: the
    /// page may come back), <see cref="Received.Closed"/> when it closed (the page's close, or the answer to ours).
    /// </summary>
    public async ValueTask<Received> ReceiveAsync(CancellationToken ct)
    {
        try
        {
            return await WholeMessages.ReceiveAsync(Socket, Buffer, ct).ConfigureAwait(false) is { } message
                ? new Received(message.Count, message.Type)
                : Received.Closed;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return Received.Closed; // the session ended, or the page did not answer its close in time
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            return Received.Lost; // the connection broke, or the socket was dropped here (a newer one of the page replaces it)
        }
    }

    /// <summary>Closes the socket normally (if it still is open) and waits, at most <see cref="ClosePatience"/>, for the page to answer.</summary>
    public async Task FinishAsync(WebSocketCloseStatus status, string reason)
    {
        await Sender.CloseAsync(status, reason).ConfigureAwait(false);
        if (Socket.State != WebSocketState.CloseSent)
        {
            return;
        }
        using var patience = CancellationTokenSource.CreateLinkedTokenSource(Http.RequestAborted);
        patience.CancelAfter(ClosePatience);
        var scratch = new byte[1024];
        try
        {
            while (Socket.State == WebSocketState.CloseSent)
            {
                await Socket.ReceiveAsync(scratch.AsMemory(), patience.Token).ConfigureAwait(false); // what the page sent before it saw the close is not read
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            // It did not answer: the connection is dropped.
        }
    }

    public void Dispose() => Sender.Dispose();

    /// <summary>What a read of the page's socket gave.</summary>
    public readonly record struct Received(int Count, WebSocketMessageType Type, bool IsLost = false, bool IsClosed = false)
    {
        public static Received Lost => new(0, WebSocketMessageType.Close, IsLost: true);

        public static Received Closed => new(0, WebSocketMessageType.Close, IsClosed: true);
    }
}
