using System.Buffers;
using System.Net.WebSockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using V2V.Simulator.Protocol;

namespace V2V.Simulator.Session;

/// <summary>
/// The one writer of a connection: gives each server event its <c>event_id</c>, sends it, counts it, and
/// injects the count-based faults. Callers hold the session's gate, so sends never overlap.
/// </summary>
/// <remarks>Events are written as the service writes them (<see cref="WireJson"/>), as UTF-8 straight from the tree.</remarks>
internal sealed class EventSink(WebSocket socket, LocalRealtimeServerFaults faults, ILogger logger, CancellationTokenSource session, Action<System.Text.Json.JsonElement>? observer = null)
{
    private int _sent;
    private bool _errorInjected;
    private readonly Random? _drops = faults.NextDropRandom();
    // Whether this connection is one that CloseAfterEvents closes: decided when it first reaches that count, so that a
    // test may switch the fault on mid-session (the faults are read live) and the next event closes the connection.
    private bool? _closes;
    // One buffer for the sink's one writer: each event is written into it and sent before the next is written.
    private readonly ArrayBufferWriter<byte> _buffer = new(16 * 1024);
    private Utf8JsonWriter? _writer;

    public int Sent => _sent;

    public Task SendAsync(JsonObject evt) => SendAsync(evt, session.Token);

    /// <summary>Sends <paramref name="events"/> in order (a component's decision, e.g. the events that end a response).</summary>
    public async Task SendAllAsync(IEnumerable<JsonObject> events)
    {
        foreach (var evt in events)
        {
            await SendAsync(evt).ConfigureAwait(false);
        }
    }

    public Task SendAsync(Reply reply) => reply.Error is { } error ? SendErrorAsync(error) : SendAllAsync(reply.Events);

    public Task SendErrorAsync(RealtimeError error)
    {
        logger.LogDebug("Error to client: {Code} {Message}", error.Code, error.Message);
        return SendAsync((faults.ErrorsNameNoEvent ? error with { EventId = null } : error).ToEvent());
    }

    private ReadOnlyMemory<byte> Write(JsonObject evt)
    {
        _buffer.ResetWrittenCount();
        var writer = _writer ??= new Utf8JsonWriter(_buffer, WireJson.WriterOptions);
        writer.Reset();
        evt.WriteTo(writer);
        writer.Flush();
        return _buffer.WrittenMemory;
    }

    private async Task SendAsync(JsonObject evt, CancellationToken cancellationToken)
    {
        evt.Insert(0, "event_id", EventIds.Event());
        var bytes = Write(evt);
        await socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, cancellationToken).ConfigureAwait(false);
        _sent++;
        if (observer is not null)
        {
            using var sent = JsonDocument.Parse(bytes);
            observer(sent.RootElement);
        }

        if (faults.ErrorAfterEvents == _sent && !_errorInjected)
        {
            _errorInjected = true;
            logger.LogInformation("Fault: error event after {Count} events", _sent);
            await SendAsync(new RealtimeError(faults.ErrorType, faults.ErrorCode, faults.ErrorMessage, null, null).ToEvent(), cancellationToken).ConfigureAwait(false);
        }

        if ((faults.CloseAfterEvents is { } closeAfter && _sent >= closeAfter && (_closes ??= faults.NextConnectionCloses()))
            || (_drops is not null && _drops.NextDouble() < faults.DropProbabilityPerEvent))
        {
            logger.LogInformation("Fault: closing the connection after {Count} events", _sent);
            if (faults.AbortInsteadOfClose)
            {
                socket.Abort();
            }
            else
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.InternalServerError, "fault: close after events", cancellationToken).ConfigureAwait(false);
            }

            await session.CancelAsync().ConfigureAwait(false);
            throw new OperationCanceledException("The connection was closed by an injected fault.");
        }
    }
}
