using System.Diagnostics;
using System.Net.WebSockets;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using V2V.Realtime.Diagnostics;
using V2V.Realtime.Protocol;
using V2V.Realtime.Protocol.ServerEvents;

namespace V2V.Realtime.Client;

/// <summary>
/// The input side of a connection's WebSocket: whole messages read into one growing buffer, parsed into server events
/// in the connection's dialect, and logged. A message that is too long, binary or not JSON becomes a malformed event,
/// never an exception: a bad message does not end the session. The server's close is answered.
/// </summary>
internal sealed class SocketReader(ClientWebSocket socket, RealtimeClientOptions options, string endpoint, ILogger logger, CancellationToken lifetime)
{
    private readonly RealtimeEventParser _parser = new(options.Dialect);
    private int _reading;

    /// <summary>The server's events as they come, parsed; ends when the server closes (its close answered). One reader at a time.</summary>
    public async IAsyncEnumerable<RealtimeServerEvent> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _reading, 1) == 1)
        {
            throw new InvalidOperationException("Another reader is already reading this connection's events; read them in one place.");
        }
        using var buffer = new ReceiveBuffer(options.MaxMessageBytes);
        try
        {
            while (await ReceiveEventAsync(buffer, cancellationToken).ConfigureAwait(false) is { } serverEvent)
            {
                yield return serverEvent;
            }
        }
        finally
        {
            Volatile.Write(ref _reading, 0);
        }
    }

    // Pooled: nearly every message completes asynchronously (it waits for the socket), and without the pool each one
    // would allocate a box for this state machine (about 6 KB per session-second of audio deltas and transcripts).
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<RealtimeServerEvent?> ReceiveEventAsync(ReceiveBuffer buffer, CancellationToken cancellationToken)
    {
        var length = 0;
        long total = 0;
        var oversized = false;
        while (true)
        {
            if (!oversized && !buffer.TryGrow(length))
            {
                oversized = true; // keep reading to the end of the message, discarding it
            }
            var target = oversized ? buffer.Array.AsMemory() : buffer.Array.AsMemory(length);
            ValueWebSocketReceiveResult result;
            try
            {
                result = await socket.ReceiveAsync(target, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException || (ex is OperationCanceledException && lifetime.IsCancellationRequested))
            {
                RealtimeLog.ConnectionLost(logger, ex.Message);
                throw new RealtimeConnectionLostException($"The connection to {endpoint} was lost: {ex.Message}", ex);
            }
            if (result.MessageType == WebSocketMessageType.Close)
            {
                RealtimeLog.ServerClosed(logger, socket.CloseStatus?.ToString(), socket.CloseStatusDescription);
                await AnswerCloseAsync().ConfigureAwait(false);
                return null;
            }
            total += result.Count;
            if (!oversized)
            {
                length += result.Count;
            }
            if (result.EndOfMessage)
            {
                var arrived = RealtimeProbe.IsEnabled ? Stopwatch.GetTimestamp() : 0;
                var parsed = Parse(buffer, length, total, oversized, result.MessageType);
                if (arrived != 0)
                {
                    RealtimeProbe.Received(options, parsed, arrived);
                }
                return parsed;
            }
        }
    }

    private RealtimeServerEvent Parse(ReceiveBuffer buffer, int length, long total, bool oversized, WebSocketMessageType type)
    {
        RealtimeServerEvent parsed;
        if (oversized)
        {
            parsed = new MalformedServerEvent($"the message of {total} bytes exceeds MaxMessageBytes ({options.MaxMessageBytes}); it was skipped", "");
        }
        else if (type == WebSocketMessageType.Binary)
        {
            parsed = new MalformedServerEvent("a binary message; the protocol sends JSON text", "");
        }
        else
        {
            parsed = _parser.Parse(buffer.Array.AsSpan(0, length));
        }
        buffer.ShrinkIfLarge();
        Report(parsed, (int)Math.Min(total, int.MaxValue));
        return parsed;
    }

    private void Report(RealtimeServerEvent parsed, int bytes)
    {
        switch (parsed)
        {
            case MalformedServerEvent malformed:
                RealtimeLog.Malformed(logger, bytes, malformed.Reason);
                break;
            case UnknownServerEvent unknown:
                RealtimeLog.Unknown(logger, unknown.Type);
                break;
            case ErrorEvent error:
                RealtimeLog.ServerError(logger, RealtimeLog.ServerErrorLevel(error.Error.Code), error.Error.Type, error.Error.Code, error.Error.Message, error.Error.Param, error.Error.EventId);
                break;
            default:
                RealtimeLog.Received(logger, parsed.Type, bytes);
                break;
        }
    }

    private async Task AnswerCloseAsync()
    {
        if (socket.State != WebSocketState.CloseReceived)
        {
            return;
        }
        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", grace.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The server has gone; nothing more to say to it.
        }
    }
}
