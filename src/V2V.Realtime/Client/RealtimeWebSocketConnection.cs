using System.Diagnostics;
using System.Net.WebSockets;
using Microsoft.Extensions.Logging;
using V2V.Realtime.Diagnostics;
using V2V.Realtime.Protocol;
using V2V.Realtime.Protocol.ClientEvents;

namespace V2V.Realtime.Client;

/// <summary>
/// The client's own <see cref="IRealtimeConnection"/>: one WebSocket to a realtime endpoint (OpenAI, Azure OpenAI,
/// the local realtime server) in either dialect. Events are serialized here and sent from any thread by its
/// <see cref="SocketWriter"/> (one writer: control events ahead of queued audio, straight to the socket when it is free);
/// server events are read and parsed by its <see cref="SocketReader"/>, one reader at a time.
/// </summary>
internal sealed class RealtimeWebSocketConnection : IRealtimeConnection
{
    private readonly ClientWebSocket _socket;
    private readonly CancellationTokenSource _lifetime = new();
    private readonly SocketWriter _writer;
    private readonly SocketReader _reader;
    private int _disposed;

    private RealtimeWebSocketConnection(ClientWebSocket socket, RealtimeEndpoint endpoint, RealtimeClientOptions options, ILogger logger)
    {
        _socket = socket;
        Endpoint = endpoint.DisplayUrl;
        Dialect = options.Dialect;
        _writer = new SocketWriter(socket, options.SendQueueCapacity, logger, Unusable, _lifetime.Token);
        _reader = new SocketReader(socket, options, Endpoint, logger, _lifetime.Token);
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
    internal int QueuedAudio => _writer.QueuedAudio;

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
        string? providedKey = null;
        try
        {
            if (options.ApiKeyProvider is { } provider)
            {
                providedKey = await ProvidedKey.GetAsync(provider, endpoint, options.ConnectTimeout, timeout.Token, cancellationToken).ConfigureAwait(false);
                var (name, value) = endpoint.CredentialHeader(providedKey);
                socket.Options.SetRequestHeader(name, value);
            }
            await socket.ConnectAsync(endpoint.Uri, invoker, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or HttpRequestException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            var status = (int)socket.HttpStatusCode;
            socket.Dispose();
            var failure = HandshakeFailures.Create(endpoint, options, status, refusals.Refusal, ex, providedKey);
            if (failure.StatusCode is { } refusedWith)
            {
                RealtimeLog.HandshakeFailed(logger, endpoint.DisplayUrl, refusedWith, failure.Reason);
            }
            else
            {
                // Refused, reset, timed out: the failure's own words (secrets masked) say which.
                RealtimeLog.NoHttpAnswer(logger, failure.Message);
            }
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
        return _writer.SendAsync(new OutboundMessage(buffer, length, clientEvent.Type, KindOf(clientEvent), clientEvent.EventId), cancellationToken);
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

    // Both overloads: checked, then handed to the writer, which writes the append's base64; nothing to send for no audio.
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
        return _writer.SendAudioAsync(audio, origin, cancellationToken);
    }

    /// <inheritdoc/>
    public IAsyncEnumerable<RealtimeServerEvent> ReadEventsAsync(CancellationToken cancellationToken = default) => _reader.ReadAsync(cancellationToken);

    /// <inheritdoc/>
    public async Task CloseAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await _writer.CloseAsync("client closing", cancellationToken).ConfigureAwait(false);
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
        _writer.Complete();
        await _lifetime.CancelAsync().ConfigureAwait(false);
        await _writer.Loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
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

    private void ThrowIfUnusable()
    {
        if (Volatile.Read(ref _disposed) == 1 || _writer.Fault is not null || _socket.State is not WebSocketState.Open)
        {
            throw Unusable();
        }
    }

    private RealtimeException Unusable() => Volatile.Read(ref _disposed) == 1
        ? new RealtimeException("The realtime connection has been disposed.")
        : new RealtimeConnectionLostException($"The connection to {Endpoint} is closed ({_socket.State}{(_writer.Fault is null ? "" : ": " + _writer.Fault.Message)}); connect again.", _writer.Fault);
}
