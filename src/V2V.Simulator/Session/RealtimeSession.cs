using System.Buffers;
using System.Net.WebSockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using V2V.Simulator.Audio;
using V2V.Simulator.Protocol;
using V2V.Simulator.Responses;
using V2V.Simulator.Turns;

namespace V2V.Simulator.Session;

/// <summary>
/// One connection: a single receive loop and at most one response streaming beside it. Every change of state and
/// every send happens under <see cref="_gate"/>, so events leave in the order the state changed and nothing is
/// sent for a response after its <c>response.done</c>. A bad client event gets an <c>error</c> event; the session
/// goes on.
/// </summary>
internal sealed partial class RealtimeSession
{
    /// <summary>OpenAI accepts up to 15 MiB of audio per append; a message may carry a little more (JSON around it).</summary>
    public const int MaxMessageBytes = 16 * 1024 * 1024;

    private readonly WebSocket _socket;
    private readonly LocalRealtimeServerOptions _options;
    private readonly ILogger _logger;
    private readonly ClientEventValidator _validator;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly CancellationTokenSource _cts;
    private readonly EventSink _sink;
    private readonly SessionConfig _config;
    private readonly Conversation _conversation = new();
    private readonly TurnDetector _turns = new();
    private readonly ConversationEditor _editor;
    private readonly OutputItemEvents _items;
    private readonly ResponseLifecycle _responses;
    private readonly ResponseStreamer _streamer;
    private readonly InputAudioTranscription _transcription;


    public RealtimeSession(WebSocket socket, DialectProfile profile, string? model, LocalRealtimeServerOptions options, Scripting.SimulatorScript? script, ILogger logger, CancellationToken aborted)
    {
        _socket = socket;
        _options = options;
        _logger = logger;
        _cts = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        _validator = new ClientEventValidator(ProtocolSchemas.For(profile.Dialect));
        _sink = new EventSink(socket, options.Faults, logger, _cts);
        _lifetime = options.EffectiveSessionLifetime;
        _expiresAt = options.TimeProvider.GetUtcNow() + _lifetime;
        _config = new SessionConfig(profile, model, _expiresAt);
        _editor = new ConversationEditor(_config, _conversation);
        _items = new OutputItemEvents(_config.Profile, _conversation);
        _responses = new ResponseLifecycle(_config, _conversation, _items, new EchoAgent(script), options);

        // Answers are paced on the wall clock: the options' TimeProvider is the clock of the session's lifetime only.
        _streamer = new ResponseStreamer(_config, _conversation, _items, options, TimeProvider.System);
        _transcription = new InputAudioTranscription(_config, options);
    }

    private DialectProfile Profile => _config.Profile;

    private CancellationToken Token => _cts.Token;

    public async Task RunAsync()
    {
        try
        {
            StartLifetime();
            await UnderGateAsync(() => SendAsync(new JsonObject { ["type"] = "session.created", ["session"] = SessionConfigWriter.ToJson(_config) })).ConfigureAwait(false);
            await ReceiveLoopAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
            _logger.LogDebug("Session {Session} ended: {Reason}", _config.Id, e.Message);
        }
        finally
        {
            StopLifetime();
            await _cts.CancelAsync().ConfigureAwait(false);
            if (_responses.Active is { } active)
            {
                active.Finish();
                await active.Streaming.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }

            await CloseAsync().ConfigureAwait(false);
            _cts.Dispose();
        }
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            var count = 0;
            var oversized = false;
            while (!Token.IsCancellationRequested)
            {
                var result = await _socket.ReceiveAsync(buffer.AsMemory(count), Token).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                count += result.Count;
                if (count == buffer.Length && !result.EndOfMessage)
                {
                    if (buffer.Length >= MaxMessageBytes)
                    {
                        oversized = true;
                        count = 0;
                    }
                    else
                    {
                        var larger = ArrayPool<byte>.Shared.Rent(Math.Min(MaxMessageBytes, buffer.Length * 2));
                        buffer.AsSpan(0, count).CopyTo(larger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = larger;
                    }
                }

                if (!result.EndOfMessage)
                {
                    continue;
                }

                var message = buffer.AsMemory(0, count);
                count = 0;
                await UnderGateAsync(() => _ending ? Task.CompletedTask : oversized
                    ? SendErrorAsync(RealtimeError.Invalid("message_too_large", $"The event exceeds the maximum size of {MaxMessageBytes} bytes.", null, null))
                    : HandleAsync(message)).ConfigureAwait(false);
                oversized = false;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task HandleAsync(ReadOnlyMemory<byte> message)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(message);
        }
        catch (JsonException e)
        {
            await SendErrorAsync(RealtimeError.Invalid("invalid_json", $"We could not parse the JSON body of your request. ({e.Message})", null, null)).ConfigureAwait(false);
            return;
        }

        using (document)
        {
            var root = document.RootElement;
            var eventId = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("event_id", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("type", out var typeElement) || typeElement.ValueKind != JsonValueKind.String)
            {
                await SendErrorAsync(RealtimeError.Invalid("invalid_event", "The 'type' field is missing.", "type", eventId)).ConfigureAwait(false);
                return;
            }

            var type = typeElement.GetString()!;
            _options.ClientEventObserver?.Invoke(root);
            try
            {
                await DispatchAsync(type, root, eventId).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not (OperationCanceledException or WebSocketException or ObjectDisposedException))
            {
                // A bug of ours must not end the client's session: say so, as OpenAI says server_error.
                _logger.LogError(e, "Handling {Type} failed", type);
                await SendErrorAsync(new RealtimeError("server_error", null, "The server had an error while processing your request.", null, eventId)).ConfigureAwait(false);
            }
        }
    }

    private Task DispatchAsync(string type, JsonElement root, string? eventId)
    {
        if (_options.Profile == ServiceProfile.OpenAi && BetaShapeDetector.IsBetaShaped(type, root))
        {
            return EndUnderGateAsync(BetaShapeDetector.Error(eventId), (WebSocketCloseStatus)BetaShapeDetector.CloseStatus, BetaShapeDetector.CloseReason);
        }

        // Every event is held to its schema; appends (50 a second) take the validator's quick path for flat events.
        if (_validator.Validate(type, root, eventId) is { } error)
        {
            return SendErrorAsync(error);
        }

        return type switch
        {
            "input_audio_buffer.append" => AppendAsync(root, eventId),
            "session.update" => UpdateSessionAsync(root.GetProperty("session"), eventId),
            "input_audio_buffer.commit" => CommitAsync(eventId),
            "input_audio_buffer.clear" => ClearAsync(),
            "conversation.item.create" => SendAsync(_editor.Create(root, eventId)),
            "conversation.item.delete" => SendAsync(_editor.Delete(root.GetProperty("item_id").GetString()!, eventId)),
            "conversation.item.retrieve" => SendAsync(_editor.Retrieve(root.GetProperty("item_id").GetString()!, eventId)),
            "conversation.item.truncate" => SendAsync(_editor.Truncate(root, eventId)),
            "response.create" => CreateResponseAsync(root, eventId),
            "response.cancel" => CancelRequestedAsync(root, eventId),
            _ => SendErrorAsync(RealtimeError.Invalid("unsupported_event", $"The local realtime server does not serve '{type}' (WebRTC, SIP and transcription sessions are not simulated).", "type", eventId)),
        };
    }

    private async Task UnderGateAsync(Func<Task> action)
    {
        await _gate.WaitAsync(Token).ConfigureAwait(false);
        try
        {
            await action().ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    private Task SendAsync(JsonObject evt) => _sink.SendAsync(evt, Token);

    private Task SendAsync(Reply reply) => reply.Error is { } error ? SendErrorAsync(error) : SendAllAsync(reply.Events);

    private async Task SendAllAsync(IEnumerable<JsonObject> events)
    {
        foreach (var evt in events)
        {
            await SendAsync(evt).ConfigureAwait(false);
        }
    }

    private Task SendErrorAsync(RealtimeError error)
    {
        _logger.LogDebug("Error to client: {Code} {Message}", error.Code, error.Message);
        return SendAsync(error.ToEvent());
    }

    private async Task CloseAsync()
    {
        try
        {
            if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            _logger.LogDebug("Close failed: {Reason}", e.Message);
        }
    }
}
