using System.Net.WebSockets;
using System.Text;
using Microsoft.Extensions.Logging;
using V2V.Simulator.Protocol;

namespace V2V.Simulator.Endpoints;

/// <summary>
/// What OpenAI does with a client that asks for the retired beta at the handshake: it accepts the WebSocket,
/// sends <c>beta_api_shape_disabled</c> and closes with 4000, before any session exists.
/// </summary>
internal static class RetiredBetaRefusal
{
    /// <summary>How long the client has to answer the close before the connection is dropped.</summary>
    private static readonly TimeSpan CloseAnswerTimeout = TimeSpan.FromSeconds(5);

    public static async Task RefuseAsync(WebSocket socket, ILogger logger, CancellationToken aborted)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        timeout.CancelAfter(CloseAnswerTimeout);
        try
        {
            var evt = BetaShapeDetector.Error(null).ToEvent();
            evt.Insert(0, "event_id", EventIds.Event());
            await socket.SendAsync(Encoding.UTF8.GetBytes(evt.ToJsonString(WireJson.SerializerOptions)), WebSocketMessageType.Text, endOfMessage: true, timeout.Token).ConfigureAwait(false);
            await socket.CloseOutputAsync((WebSocketCloseStatus)BetaShapeDetector.CloseStatus, BetaShapeDetector.CloseReason, timeout.Token).ConfigureAwait(false);

            // Read on until the client answers the close, so that it surely receives ours: dropping the connection
            // with its events unread could reset it before the close frame is read.
            var buffer = new byte[4096];
            while ((await socket.ReceiveAsync(buffer, timeout.Token).ConfigureAwait(false)).MessageType != WebSocketMessageType.Close)
            {
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
            logger.LogDebug("The refused beta client did not close cleanly: {Reason}", e.Message);
        }
    }
}
