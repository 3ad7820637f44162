using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using V2V.Realtime.Client;

namespace V2V.Realtime.Extensions.AI;

/// <summary>
/// One connection as an <see cref="IRealtimeClientSession"/>: MEAI's client messages become our typed client events
/// (<see cref="ClientMessageMapper"/>) and the server's events become MEAI's server messages
/// (<see cref="ServerMessageMapper"/>). Events MEAI has no type for are yielded as
/// <see cref="RealtimeServerMessageType.RawContentOnly"/> with our event as the raw representation, as Microsoft's
/// OpenAI session does, so nothing the server says is hidden from a caller.
/// </summary>
public sealed class RealtimeChatSession : IRealtimeClientSession
{
    private readonly IRealtimeConnection _connection;
    private readonly ChatClientMetadata _metadata;
    private readonly string? _connectedModel;

    /// <param name="connection">The connection, owned from now on.</param>
    /// <param name="metadata">The client's metadata (telemetry).</param>
    /// <param name="connectedModel">The model the connection's URL asked for, when it names one.</param>
    internal RealtimeChatSession(IRealtimeConnection connection, ChatClientMetadata metadata, string? connectedModel = null)
    {
        _connection = connection;
        _metadata = metadata;
        _connectedModel = connectedModel;
    }

    /// <summary>The options last sent with a session update (what the server confirmed is in <c>session.updated</c>).</summary>
    public RealtimeSessionOptions? Options { get; private set; }

    /// <summary>The connection under this session, for what MEAI has no message for.</summary>
    public IRealtimeConnection Connection => _connection;

    /// <summary>
    /// Sends a message. A message MEAI defines is mapped to its event; another one is sent as is when its
    /// <see cref="RealtimeClientMessage.RawRepresentation"/> is one of our client events, and refused otherwise
    /// (<see cref="NotSupportedException"/> naming its type) rather than dropped without a word.
    /// </summary>
    public async Task SendAsync(RealtimeClientMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message is InputAudioBufferAppendRealtimeClientMessage append)
        {
            // The hot path: bytes go to the writer as they are, without a typed event in between.
            await _connection.SendAudioAsync(ClientMessageMapper.AudioBytes(append), cancellationToken).ConfigureAwait(false);
            return;
        }
        var update = message as SessionUpdateRealtimeClientMessage;
        if (update is not null)
        {
            CheckModel(update.Options, _connectedModel);
        }
        var clientEvent = ClientMessageMapper.ToEvent(message, _connection.Dialect);
        await _connection.SendAsync(clientEvent, cancellationToken).ConfigureAwait(false);
        if (update is not null)
        {
            Options = update.Options;
        }
    }

    /// <summary>
    /// The service refuses a <c>session.update</c> of another model than the connection's, after the fact and in an error
    /// event: said here, by name, before anything is sent (<paramref name="connectedModel"/> null: not known, not checked).
    /// </summary>
    internal static void CheckModel(RealtimeSessionOptions? options, string? connectedModel)
    {
        if (options?.Model is { } model && connectedModel is not null && model != connectedModel)
        {
            throw new ArgumentException(
                $"RealtimeSessionOptions.Model '{model}' is not the model this connection is to ('{connectedModel}'), and the service does not change a session's model: leave Model null, or connect to '{model}' (RealtimeClientOptions.Model).",
                nameof(options));
        }
    }

    /// <summary>
    /// Reads the server's messages until it closes the connection. One reader at a time. Malformed and unknown
    /// events are yielded as <see cref="RealtimeServerMessageType.RawContentOnly"/>, never thrown.
    /// </summary>
    public async IAsyncEnumerable<RealtimeServerMessage> GetStreamingResponseAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var serverEvent in _connection.ReadEventsAsync(cancellationToken).ConfigureAwait(false))
        {
            var message = ServerMessageMapper.ToMessage(serverEvent);
            // An audio delta's bytes are pooled: the message holds its own copy, and the buffer goes back for the next
            // delta (the raw event's audio is no longer readable).
            (serverEvent as IDisposable)?.Dispose();
            yield return message;
        }
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is not null ? null
            : serviceType == typeof(ChatClientMetadata) ? _metadata
            : serviceType.IsInstanceOfType(this) ? this
            : serviceType.IsInstanceOfType(_connection) ? _connection
            : null;
    }

    /// <summary>Closes the connection (a normal close, what is queued is sent first), then releases it.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_connection.IsOpen)
            {
                await _connection.CloseAsync().ConfigureAwait(false);
            }
        }
        catch (RealtimeConnectionLostException)
        {
            // Already gone: there is nothing left to close.
        }
        await _connection.DisposeAsync().ConfigureAwait(false);
    }
}
