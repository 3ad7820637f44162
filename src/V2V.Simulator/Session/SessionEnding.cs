using System.Net.WebSockets;
using Microsoft.Extensions.Logging;
using V2V.Simulator.Protocol;
using V2V.Simulator.Responses;

namespace V2V.Simulator.Session;

/// <summary>
/// How a session's connection ends. The server ends it as OpenAI does (session expired, beta shape refused): an
/// <c>error</c>, then a close whose status says why, and no client event is handled after. Whatever ended it, the
/// connection is closed last with a normal closure if it is still open.
/// </summary>
internal sealed class SessionEnding(WebSocket socket, EventSink sink, ILogger logger, CancellationTokenSource session)
{
    /// <summary>How long a client has to answer the server's close before the connection is dropped.</summary>
    private static readonly TimeSpan CloseAnswerTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Set under the gate once the server has begun to end the session; client events are then ignored.</summary>
    public bool Begun { get; private set; }

    /// <summary>Ends the session; the caller holds the gate, so the error and the close follow every event already sent.</summary>
    public async Task EndAsync(RealtimeError error, WebSocketCloseStatus status, string reason, ActiveResponse? active)
    {
        if (Begun)
        {
            return;
        }

        Begun = true;

        // The response's steps check Finished under the gate: nothing more of it is sent.
        active?.Finish();
        await sink.SendErrorAsync(error).ConfigureAwait(false);
        await socket.CloseOutputAsync(status, CloseReasons.Fit(reason), session.Token).ConfigureAwait(false);

        // The receive loop runs on until the client answers the close (a clean close on both sides); a client that
        // never answers is dropped.
        session.CancelAfter(CloseAnswerTimeout);
    }

    /// <summary>The last act of a session: a normal closure, unless the connection is already closed or gone.</summary>
    public async Task CloseAsync()
    {
        try
        {
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            logger.LogDebug("Close failed: {Reason}", e.Message);
        }
    }
}
