using System.Net.WebSockets;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using V2V.Realtime.Diagnostics;

namespace V2V.Realtime.Client;

/// <summary>
/// The output side of a connection's WebSocket, which allows one send at a time: messages from any thread go through
/// a bounded send queue of two lanes (<see cref="OutboundLanes"/>: control events ahead of queued audio) to one send
/// loop, or straight to the socket on the caller's thread when it is free and nothing waits. Whose turn it is to write
/// is one semaphore; the close handshake takes the same turn. The first failed send breaks the writer for good.
/// </summary>
internal sealed class SocketWriter
{
    // The append a caller writes on the fast path, while it holds the turn: grown to the largest such append (20 ms of
    // audio: 1.3 KB); appends longer than MaxOwnedAppendBytes take a pooled message instead.
    private const int MaxOwnedAppendBytes = 16 * 1024;

    private readonly ClientWebSocket _socket;
    private readonly ILogger _logger;
    private readonly OutboundLanes _outbound;
    private readonly Func<RealtimeException> _unusable;
    private readonly CancellationToken _lifetime;

    // Whose turn it is to write to the socket: the send loop, or a caller on the fast path. One writer at a time.
    private readonly SemaphoreSlim _socketTurn = new(1, 1);
    private byte[] _ownedAppend = [];
    private Exception? _fault;
    private int _completed;

    /// <param name="socket">The connection's socket; its reading side is not the writer's.</param>
    /// <param name="capacity">Messages each lane holds before a sender waits.</param>
    /// <param name="logger">Where each send and a lost connection are logged.</param>
    /// <param name="unusable">The exception a sender gets once the connection cannot send (it names the endpoint and why).</param>
    /// <param name="lifetime">Cancelled when the connection is disposed: the only token a send is given, since cancelling a WebSocket send midway breaks the connection.</param>
    public SocketWriter(ClientWebSocket socket, int capacity, ILogger logger, Func<RealtimeException> unusable, CancellationToken lifetime)
    {
        _socket = socket;
        _logger = logger;
        _unusable = unusable;
        _lifetime = lifetime;
        // Each lane waits when full: nothing is dropped at this layer, the sender feels the back-pressure.
        _outbound = new OutboundLanes(capacity);
        Loop = Task.Run(SendLoopAsync);
    }

    /// <summary>The send loop; it ends once the writer is completed (or broken) and the queue is sent or given back.</summary>
    public Task Loop { get; }

    /// <summary>Why sending failed, once it has; null while the writer works.</summary>
    public Exception? Fault => Volatile.Read(ref _fault);

    /// <summary>Appends waiting in the audio lane.</summary>
    public int QueuedAudio => _outbound.QueuedAudio;

    /// <summary>Sends a serialized message: on the caller's thread when the socket is free, else through its lane.</summary>
    public ValueTask SendAsync(OutboundMessage message, CancellationToken cancellationToken) =>
        TryTakeTurnForCaller() ? SendOnCaller(message) : Queue(message, cancellationToken);

    /// <summary>Sends an append of audio, written as base64.</summary>
    /// <param name="audio">The pcm16 bytes: not empty, and checked for length by the caller.</param>
    /// <param name="origin">The probe's timestamp of the frame, or 0.</param>
    /// <param name="cancellationToken">Cancels the wait for room in the queue, never a send under way.</param>
    public ValueTask SendAudioAsync(ReadOnlySpan<byte> audio, long origin, CancellationToken cancellationToken)
    {
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
        // The turn is the caller's, so the writer's own append buffer is free: written there, no pooled buffer rented
        // and returned per append.
        if (_ownedAppend.Length < length)
        {
            _ownedAppend = new byte[length];
        }
        var written = AudioAppendWriter.Write(audio, _ownedAppend);
        return SendOnCaller(new OutboundMessage(_ownedAppend, written, AudioAppendWriter.Type, OutboundKind.Audio, Origin: origin, Owned: true));
    }

    /// <summary>Takes no more messages: the send loop sends what is queued and ends; later sends get the unusable error.</summary>
    public void Complete()
    {
        Volatile.Write(ref _completed, 1);
        _outbound.Complete();
    }

    /// <summary>
    /// Completes the writer, lets the loop send what is queued, then sends the close frame in its turn (a caller may
    /// still be writing on the fast path).
    /// </summary>
    public async Task CloseAsync(string description, CancellationToken cancellationToken)
    {
        Complete();
        await Loop.WaitAsync(cancellationToken).ConfigureAwait(false);
        await _socketTurn.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, description, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _socketTurn.Release();
        }
    }

    private ValueTask Queue(OutboundMessage message, CancellationToken cancellationToken) =>
        _outbound.TryAdd(message) ? ValueTask.CompletedTask : QueueSlowAsync(message, cancellationToken);

    // Fast path: when nobody is writing and nothing waits, the caller writes the message itself; no hop to the send
    // loop's thread (most appends of a live session go this way). The loop takes the turn before it reads the queue,
    // so a message written here can never overtake one queued before it.
    private bool TryTakeTurnForCaller()
    {
        if (_socketTurn.Wait(0))
        {
            if (_outbound.IsEmpty && Volatile.Read(ref _fault) is null && Volatile.Read(ref _completed) == 0)
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
            var send = _socket.SendAsync(message.Payload, WebSocketMessageType.Text, endOfMessage: true, _lifetime);
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
    // breaks the writer and the caller is told the connection is unusable; anything else goes to the caller as it is.
    private Exception FailOnCaller(OutboundMessage message, Exception ex)
    {
        message.Return();
        var broken = IsSendFailure(ex);
        if (broken)
        {
            Break(ex);
        }
        _socketTurn.Release();
        return broken ? _unusable() : ex;
    }

    // What a failed send of the socket throws: the connection is broken (on the fast path and in the send loop alike).
    private static bool IsSendFailure(Exception ex) => ex is WebSocketException or OperationCanceledException or ObjectDisposedException or InvalidOperationException;

    private async ValueTask QueueSlowAsync(OutboundMessage message, CancellationToken cancellationToken)
    {
        try
        {
            await _outbound.AddAsync(message, cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            message.Return();
            throw _unusable();
        }
        catch (OperationCanceledException)
        {
            message.Return();
            throw;
        }
    }

    // The single writer for queued messages: a queue keeps senders from waiting on each other. It takes one message
    // per entry the lanes count; an entry without a message is the lanes' completion, and ends the loop.
    private async Task SendLoopAsync()
    {
        try
        {
            while (true)
            {
                await _outbound.WaitAsync(_lifetime).ConfigureAwait(false);
                await _socketTurn.WaitAsync(_lifetime).ConfigureAwait(false);
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
            Break(ex);
        }
        finally
        {
            _outbound.ReturnAll();
        }
    }

    /// <summary>Writes one message to the socket and returns its buffer to the pool. The loop holds the socket's turn.</summary>
    private async ValueTask SendOneAsync(OutboundMessage message)
    {
        try
        {
            await _socket.SendAsync(message.Payload, WebSocketMessageType.Text, endOfMessage: true, _lifetime).ConfigureAwait(false);
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

    private void Break(Exception ex)
    {
        Interlocked.CompareExchange(ref _fault, ex, null);
        _outbound.Complete();
        if (ex is not OperationCanceledException)
        {
            RealtimeLog.ConnectionLost(_logger, ex.Message);
        }
    }
}
