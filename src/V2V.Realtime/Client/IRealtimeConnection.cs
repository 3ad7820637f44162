using System.Net.WebSockets;
using V2V.Realtime.Protocol;

namespace V2V.Realtime.Client;

/// <summary>
/// One open connection to a realtime endpoint, as <see cref="RealtimeClient.ConnectAsync"/> returns it: send typed
/// events or raw audio, read the server's events. An interface so that a caller can put its own in its place
/// (in tests, or to record or relay); the client's own is a WebSocket with one writer and one reader at a time.
/// </summary>
public interface IRealtimeConnection : IAsyncDisposable
{
    /// <summary>The dialect spoken on this connection.</summary>
    RealtimeDialect Dialect { get; }

    /// <summary>The URL connected to, with secrets in its query replaced by <c>***</c>.</summary>
    string Endpoint { get; }

    /// <summary>The close status the server sent, once it closed the connection.</summary>
    WebSocketCloseStatus? CloseStatus { get; }

    /// <summary>The close reason the server sent, once it closed the connection.</summary>
    string? CloseStatusDescription { get; }

    /// <summary>Whether the connection is open for sending and receiving.</summary>
    bool IsOpen { get; }

    /// <summary>
    /// Sends a client event in this connection's dialect. Returns once the event is queued for the writer; waits
    /// while its lane of the send queue is full. Events other than the input buffer's (append, commit, clear) go
    /// ahead of queued audio; each kind keeps its order, and a commit or clear never passes the audio before it.
    /// An event without <see cref="RealtimeEvent.EventId"/> is given one before it is sent, so an <c>error</c> can
    /// be matched to it. Throws <see cref="RealtimeConnectionLostException"/> once the connection is gone.
    /// </summary>
    ValueTask SendAsync(RealtimeClientEvent clientEvent, CancellationToken cancellationToken = default);

    /// <summary>
    /// Appends audio to the input buffer (<c>input_audio_buffer.append</c>): raw bytes in the session's input format
    /// (pcm16 little-endian 24 kHz mono by default), at most <see cref="RealtimeClient.MaxAudioBytesPerAppend"/>.
    /// Sent without an <c>event_id</c>: the services accept that, the hot path stays as small as it is, and a
    /// caller would have no event to read an id from.
    /// </summary>
    ValueTask SendAudioAsync(ReadOnlyMemory<byte> audio, CancellationToken cancellationToken = default);

    /// <summary>
    /// Appends pcm16 samples to the input buffer. The samples are copied (as base64) before this returns, so the
    /// caller may reuse them.
    /// </summary>
    ValueTask SendAudioAsync(ReadOnlySpan<short> samples, CancellationToken cancellationToken = default);

    /// <summary>
    /// Reads server events until the server closes the connection (the enumeration then ends; see
    /// <see cref="CloseStatus"/>). Unknown events and malformed messages are yielded, not thrown. Throws
    /// <see cref="RealtimeConnectionLostException"/> when the connection drops without a close. One reader at a time.
    /// </summary>
    IAsyncEnumerable<RealtimeServerEvent> ReadEventsAsync(CancellationToken cancellationToken = default);

    /// <summary>Sends what is queued, then closes the connection with a normal close handshake.</summary>
    Task CloseAsync(CancellationToken cancellationToken = default);
}
