using System.Net.WebSockets;
using V2V.Simulator.Protocol;

namespace V2V.Simulator.Session;

/// <summary>
/// The server ending a session, as OpenAI does (session expired, beta shape refused): an <c>error</c> event, then
/// a close with a status that says why. Nothing is sent or handled after it.
/// </summary>
internal sealed partial class RealtimeSession
{
    /// <summary>How long a client has to answer the server's close before the connection is dropped.</summary>
    private static readonly TimeSpan CloseAnswerTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Set under the gate once the server has begun to end the session; client events are then ignored.</summary>
    private bool _ending;

    /// <summary>Ends the session; the caller holds the gate, so the error and the close follow every event already sent.</summary>
    private async Task EndUnderGateAsync(RealtimeError error, WebSocketCloseStatus status, string reason)
    {
        if (_ending)
        {
            return;
        }

        _ending = true;

        // The streamer checks Finished under the gate before each step: nothing more of the response is sent.
        _responses.Active?.Finish();
        await SendErrorAsync(error).ConfigureAwait(false);
        await _socket.CloseOutputAsync(status, CloseReasons.Fit(reason), Token).ConfigureAwait(false);

        // The receive loop runs on until the client answers the close (a clean close on both sides); a client that
        // never answers is dropped.
        _cts.CancelAfter(CloseAnswerTimeout);
    }
}
