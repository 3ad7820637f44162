using System.Diagnostics;
using System.Net.WebSockets;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using V2V.Realtime.Diagnostics;
using V2V.Realtime.Protocol;
using V2V.Realtime.Protocol.ClientEvents;
using V2V.Realtime.Protocol.ServerEvents;

namespace V2V.Realtime.Client;

/// <summary>
/// The client's own <see cref="IRealtimeConnection"/>: one WebSocket to a realtime endpoint (OpenAI, Azure OpenAI,
/// the local realtime server) in either dialect. Sends from any thread go through a bounded send queue of two
/// lanes (<see cref="OutboundLanes"/>: control events ahead of queued audio) to a single writer, or straight to the
/// socket when it is free and nothing waits; one reader at a time.
/// </summary>
internal sealed class RealtimeWebSocketConnection : IRealtimeConnection
{
    private readonly ClientWebSocket _socket;
    private readonly RealtimeClientOptions _options;
    private readonly RealtimeEventParser _parser;
    private readonly ILogger _logger;
    private readonly OutboundLanes _outbound;
    private readonly CancellationTokenSource _lifetime = new();
    private readonly Task _sendLoop;

    // Whose turn it is to write to the socket: the send loop, or a caller on the fast path. One writer at a time.
    private readonly SemaphoreSlim _socketTurn = new(1, 1);

    // The append a caller writes on the fast path, while it holds the turn: grown to the largest such append (20 ms of
    // audio: 1.3 KB); appends longer than MaxOwnedAppendBytes take a pooled message instead.
    private const int MaxOwnedAppendBytes = 16 * 1024;
    private byte[] _ownedAppend = [];
    private Exception? _sendFault;
    private int _reading;
    private int _disposed;

    private RealtimeWebSocketConnection(ClientWebSocket socket, RealtimeEndpoint endpoint, RealtimeClientOptions options, ILogger logger)
    {
        _socket = socket;
        _options = options;
        _logger = logger;
        Endpoint = endpoint.DisplayUrl;
        Dialect = options.Dialect;
        _parser = new RealtimeEventParser(options.Dialect);
        // Each lane waits when full: nothing is dropped at this layer, the sender feels the back-pressure.
        _outbound = new OutboundLanes(options.SendQueueCapacity);
        _sendLoop = Task.Run(SendLoopAsync);
    }

    /// <inheritdoc/>
    public RealtimeDialect Dialect { get; }

    /// <inheritdoc/>
    public string Endpoint { get; }

    /// <inheritdoc/>
    public WebSocketCloseStatus? CloseStatus => _socket.CloseStatus;

    /// <inheritdoc/>
    public string? CloseStatusDescription => _socket.CloseStatusDescription;

    /// <inheritdoc/>
    public bool IsOpen => _socket.State == WebSocketState.Open;

    /// <summary>Appends waiting in the send queue's audio lane (tests use it to know the queue is full).</summary>
    internal int QueuedAudio => _outbound.QueuedAudio;

    /// <summary>
    /// Opens the WebSocket. Throws <see cref="RealtimeAuthenticationException"/> when the credential is refused
    /// (401/403), and <see cref="RealtimeHandshakeException"/> for other failures (with the URL, without secrets, and
    /// the HTTP status). The endpoint and options were checked by the <see cref="RealtimeClient"/>.
    /// </summary>
    internal static async Task<RealtimeWebSocketConnection> OpenAsync(RealtimeEndpoint endpoint, RealtimeClientOptions options, ILogger logger, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        // The invoker is the handshake's own, as ClientWebSocket's would be: released once the socket is open.
        using var refusals = new RefusalRecordingHandler(TimeProvider.System);
        using var invoker = new HttpMessageInvoker(refusals, disposeHandler: false);
        socket.Options.KeepAliveInterval = options.KeepAliveInterval;
        foreach (var (name, value) in endpoint.Headers)
        {
            socket.Options.SetRequestHeader(name, value);
        }

        RealtimeLog.Connecting(logger, endpoint.DisplayUrl, options.Dialect.ToString());
        var started = Stopwatch.GetTimestamp();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.ConnectTimeout);
        try
        {
            await socket.ConnectAsync(endpoint.Uri, invoker, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or HttpRequestException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            var status = (int)socket.HttpStatusCode;
            socket.Dispose();
            var failure = HandshakeFailures.Create(endpoint, options, status, refusals.Refusal, ex);
            RealtimeLog.HandshakeFailed(logger, endpoint.DisplayUrl, failure.StatusCode, failure.Reason);
            throw failure;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        RealtimeLog.Connected(logger, endpoint.DisplayUrl, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return new RealtimeWebSocketConnection(socket, endpoint, options, logger);
    }

    /// <inheritdoc/>
    public ValueTask SendAsync(RealtimeClientEvent clientEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(clientEvent);
        ThrowIfUnusable();
        // An event sent again keeps the id it had (the caller's, or ours from its first sending).
        if (clientEvent.EventId is null)
        {
            clientEvent.AssignEventId(ClientEventIds.Next());
        }
        var writer = new PooledBufferWriter();
        RealtimeEventWriter.Write(clientEvent, Dialect, writer);
        var (buffer, length) = writer.Detach();
        return EnqueueAsync(new OutboundMessage(buffer, length, clientEvent.Type, KindOf(clientEvent), clientEvent.EventId), cancellationToken);
    }

    // The lane of an event, by its class (a caller may spell the type of any event): see OutboundLanes for the rule.
    private static OutboundKind KindOf(RealtimeClientEvent clientEvent) => clientEvent switch
    {
        InputAudioBufferAppendEvent => OutboundKind.Audio,
        InputAudioBufferCommitEvent or InputAudioBufferClearEvent => OutboundKind.AudioBarrier,
        _ => OutboundKind.Control,
    };

    /// <inheritdoc/>
    public ValueTask SendAudioAsync(ReadOnlyMemory<byte> audio, CancellationToken cancellationToken = default) =>
        EnqueueAudio(audio.Span, nameof(audio), cancellationToken);

    /// <inheritdoc/>
    public ValueTask SendAudioAsync(ReadOnlySpan<short> samples, CancellationToken cancellationToken = default) =>
        EnqueueAudio(System.Runtime.InteropServices.MemoryMarshal.AsBytes(samples), nameof(samples), cancellationToken);

    // Both overloads: checked, then written as base64 into a pooled message; nothing to send for no audio.
    private ValueTask EnqueueAudio(ReadOnlySpan<byte> audio, string paramName, CancellationToken cancellationToken)
    {
        if (audio.Length > RealtimeClient.MaxAudioBytesPerAppend)
        {
            throw new ArgumentException($"One append carries at most {RealtimeClient.MaxAudioBytesPerAppend} bytes of audio (got {audio.Length}); send it in smaller chunks.", paramName);
        }
        ThrowIfUnusable();
        if (audio.IsEmpty)
        {
            return ValueTask.CompletedTask;
        }

        var origin = RealtimeProbe.IsEnabled ? RealtimeProbe.TakeOrigin() : 0;
        if (!TryTakeTurnForCaller())
        {
            return Queue(AudioAppendWriter.Rent(audio) with { Origin = origin }, cancellationToken);
        }
        // Every append tries the fast path, whatever its length: a long one sent through the queue while the socket is
        // free would hand the socket to the send loop, and the caller's later appends would queue behind it.
        var length = AudioAppendWriter.MessageLength(audio.Length);
        if (length > MaxOwnedAppendBytes)
        {
            return SendOnCaller(AudioAppendWriter.Rent(audio) with { Origin = origin });
        }
        // The turn is the caller's, so the connection's own append buffer is free: written there, no pooled buffer
        // rented and returned per append.
        if (_ownedAppend.Length < length)
        {
            _ownedAppend = new byte[length];
        }
        var written = AudioAppendWriter.Write(audio, _ownedAppend);
        return SendOnCaller(new OutboundMessage(_ownedAppend, written, AudioAppendWriter.Type, OutboundKind.Audio, Origin: origin, Owned: true));
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<RealtimeServerEvent> ReadEventsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _reading, 1) == 1)
        {
            throw new InvalidOperationException("Another reader is already reading this connection's events; read them in one place.");
        }
        using var buffer = new ReceiveBuffer(_options.MaxMessageBytes);
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

    /// <inheritdoc/>
    public async Task CloseAsync(CancellationToken cancellationToken = default)
    {
        _outbound.Complete();
        try
        {
            await _sendLoop.WaitAsync(cancellationToken).ConfigureAwait(false);
            // A caller may still be writing on the fast path: the close waits for its turn, as any send does.
            await _socketTurn.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                {
                    await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "client closing", cancellationToken).ConfigureAwait(false);
                }
            }
            finally
            {
                _socketTurn.Release();
            }
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException)
        {
            // The peer is gone already: closing has nothing left to do.
        }
    }

    /// <summary>Stops the writer and closes the socket; pending sends are dropped.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        _outbound.Complete();
        await _lifetime.CancelAsync().ConfigureAwait(false);
        await _sendLoop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            try
            {
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "client disposed", grace.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
            {
                _socket.Abort();
            }
        }
        _socket.Dispose();
        _lifetime.Dispose();
    }

    private ValueTask EnqueueAsync(OutboundMessage message, CancellationToken cancellationToken) =>
        TryTakeTurnForCaller() ? SendOnCaller(message) : Queue(message, cancellationToken);

    private ValueTask Queue(OutboundMessage message, CancellationToken cancellationToken) =>
        _outbound.TryAdd(message) ? ValueTask.CompletedTask : EnqueueSlowAsync(message, cancellationToken);

    // Fast path: when nobody is writing and nothing waits, the caller writes the message itself; no hop to the send
    // loop's thread (most appends of a live session go this way). The loop takes the turn before it reads the queue,
    // so a message written here can never overtake one queued before it.
    private bool TryTakeTurnForCaller()
    {
        if (_socketTurn.Wait(0))
        {
            if (_outbound.IsEmpty && _sendFault is null && Volatile.Read(ref _disposed) == 0)
            {
                return true;
            }
            _socketTurn.Release();
        }
        return false;
    }

    // The caller holds the turn. No state machine when the socket takes the message at once, as it nearly always does.
    private ValueTask SendOnCaller(OutboundMessage message)
    {
        try
        {
            // The lifetime token, never a caller's: cancelling a WebSocket send midway breaks the connection.
            var send = _socket.SendAsync(message.Payload, WebSocketMessageType.Text, endOfMessage: true, _lifetime.Token);
            if (!send.IsCompleted)
            {
                return SendOnCallerAsync(send, message);
            }
            send.GetAwaiter().GetResult();
        }
        catch (Exception ex)
        {
            return ValueTask.FromException(FailOnCaller(message, ex));
        }
        SentOnCaller(message);
        return ValueTask.CompletedTask;
    }

    private async ValueTask SendOnCallerAsync(ValueTask send, OutboundMessage message)
    {
        try
        {
            await send.ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            var failure = FailOnCaller(message, ex);
            if (failure == ex)
            {
                throw; // not the socket's failure: as it came, with its stack
            }
            throw failure;
        }
        SentOnCaller(message);
    }

    // The socket took the caller's message: counted, its buffer given back, and the turn with it.
    private void SentOnCaller(in OutboundMessage message)
    {
        Sent(message);
        message.Return();
        _socketTurn.Release();
    }

    // The send threw: the message's buffer and the turn are given back whatever the failure. A failure of the socket
    // breaks the connection and the caller is told it is unusable; anything else goes to the caller as it is.
    private Exception FailOnCaller(OutboundMessage message, Exception ex)
    {
        message.Return();
        var broken = IsSendFailure(ex);
        if (broken)
        {
            Fault(ex);
        }
        _socketTurn.Release();
        return broken ? Unusable() : ex;
    }

    // What a failed send of the socket throws: the connection is broken (on the fast path and in the send loop alike).
    private static bool IsSendFailure(Exception ex) => ex is WebSocketException or OperationCanceledException or ObjectDisposedException or InvalidOperationException;

    private async ValueTask EnqueueSlowAsync(OutboundMessage message, CancellationToken cancellationToken)
    {
        try
        {
            await _outbound.AddAsync(message, cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            message.Return();
            throw Unusable();
        }
        catch (OperationCanceledException)
        {
            message.Return();
            throw;
        }
    }

    // The single writer for queued messages: the socket allows one send at a time, and a queue keeps senders from
    // waiting on each other. It takes one message per entry the lanes count; an entry without a message is the
    // lanes' completion, and ends the loop.
    private async Task SendLoopAsync()
    {
        try
        {
            while (true)
            {
                await _outbound.WaitAsync(_lifetime.Token).ConfigureAwait(false);
                await _socketTurn.WaitAsync(_lifetime.Token).ConfigureAwait(false);
                try
                {
                    do
                    {
                        if (!_outbound.TryTake(out var message))
                        {
                            return;
                        }
                        await SendOneAsync(message).ConfigureAwait(false);
                    }
                    while (_outbound.TryWait());
                }
                finally
                {
                    _socketTurn.Release();
                }
            }
        }
        catch (Exception ex) when (IsSendFailure(ex))
        {
            Fault(ex);
        }
        finally
        {
            _outbound.ReturnAll();
        }
    }

    /// <summary>Writes one message to the socket and returns its buffer to the pool. The caller holds the socket's turn.</summary>
    private async ValueTask SendOneAsync(OutboundMessage message)
    {
        try
        {
            // The lifetime token, never a caller's: cancelling a WebSocket send midway breaks the connection.
            await _socket.SendAsync(message.Payload, WebSocketMessageType.Text, endOfMessage: true, _lifetime.Token).ConfigureAwait(false);
            Sent(message);
        }
        finally
        {
            message.Return();
        }
    }

    private void Sent(in OutboundMessage message)
    {
        RealtimeLog.Sent(_logger, message.Type, message.EventId, message.Length);
        if (message.Origin != 0)
        {
            RealtimeProbe.InputSent(message.Origin);
        }
    }

    private void Fault(Exception ex)
    {
        _sendFault ??= ex;
        _outbound.Complete();
        if (ex is not OperationCanceledException)
        {
            RealtimeLog.ConnectionLost(_logger, ex.Message);
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
                result = await _socket.ReceiveAsync(target, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException || (ex is OperationCanceledException && _lifetime.IsCancellationRequested))
            {
                RealtimeLog.ConnectionLost(_logger, ex.Message);
                throw new RealtimeConnectionLostException($"The connection to {Endpoint} was lost: {ex.Message}", ex);
            }
            if (result.MessageType == WebSocketMessageType.Close)
            {
                RealtimeLog.ServerClosed(_logger, _socket.CloseStatus?.ToString(), _socket.CloseStatusDescription);
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
                    RealtimeProbe.Received(_options, parsed, arrived);
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
            parsed = new MalformedServerEvent($"the message of {total} bytes exceeds MaxMessageBytes ({_options.MaxMessageBytes}); it was skipped", "");
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
                RealtimeLog.Malformed(_logger, bytes, malformed.Reason);
                break;
            case UnknownServerEvent unknown:
                RealtimeLog.Unknown(_logger, unknown.Type);
                break;
            case ErrorEvent error:
                RealtimeLog.ServerError(_logger, error.Error.Type, error.Error.Code, error.Error.Message, error.Error.Param, error.Error.EventId);
                break;
            default:
                RealtimeLog.Received(_logger, parsed.Type, bytes);
                break;
        }
    }

    private async Task AnswerCloseAsync()
    {
        if (_socket.State != WebSocketState.CloseReceived)
        {
            return;
        }
        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", grace.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The server has gone; nothing more to say to it.
        }
    }

    private void ThrowIfUnusable()
    {
        if (Volatile.Read(ref _disposed) == 1 || _sendFault is not null || _socket.State is not WebSocketState.Open)
        {
            throw Unusable();
        }
    }

    private RealtimeException Unusable() => Volatile.Read(ref _disposed) == 1
        ? new RealtimeException("The realtime connection has been disposed.")
        : new RealtimeConnectionLostException($"The connection to {Endpoint} is closed ({_socket.State}{(_sendFault is null ? "" : ": " + _sendFault.Message)}); connect again.", _sendFault);
}
