using System.Globalization;
using System.Net.WebSockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using V2V.Simulator.Audio;
using V2V.Simulator.Mcp;
using V2V.Simulator.Protocol;
using V2V.Simulator.Responses;
using V2V.Simulator.Turns;
using V2V.Simulator.Vad;

namespace V2V.Simulator.Session;

/// <summary>
/// One connection: a receive loop that hands each client event to the component that owns its state (turns,
/// conversation, responses, configuration) and sends what that component decided; responses stream beside it
/// (<see cref="ResponseRunner"/>). Every change of state and every send happens under the <see cref="SessionGate"/>,
/// so events leave in the order the state changed. A bad client event gets an <c>error</c> event; the session goes
/// on, until it expires, the client leaves, or the server refuses it for good (<see cref="SessionEnding"/>).
/// </summary>
internal sealed class RealtimeSession
{
    private readonly WebSocket _socket;
    private readonly LocalRealtimeServerOptions _options;
    private readonly ILogger _logger;
    private readonly ClientEventValidator _validator;
    private readonly CancellationTokenSource _cts;
    private readonly SessionLifetime _lifetime;
    private readonly TimedDrop _drop;
    private readonly SessionConfig _config;
    private readonly SessionGate _gate;
    private readonly EventSink _sink;
    private readonly TurnDetector _turns = new();
    private readonly ConversationEditor _editor;
    private readonly InputAudioTranscription _transcription;
    private readonly ResponseRunner _responses;
    private readonly McpServers _mcp;
    private readonly SessionEnding _ending;
    private WebSocketCloseStatus? _clientCloseStatus;

    /// <param name="socket">The accepted connection.</param>
    /// <param name="profile">The dialect it speaks.</param>
    /// <param name="model">The model it connected to (the URL's, or its client secret's).</param>
    /// <param name="configured">
    /// The <c>session</c> of the client secret the connection was opened with, or null: the session starts with it
    /// applied, as if a <c>session.update</c> had brought it (it was checked when the secret was minted).
    /// </param>
    /// <param name="options">The server's options.</param>
    /// <param name="script">Scripted answers, if any.</param>
    /// <param name="logger">Where the session logs.</param>
    /// <param name="aborted">Ends the session (the client left, the server stops).</param>
    public RealtimeSession(WebSocket socket, DialectProfile profile, string? model, JsonElement? configured, LocalRealtimeServerOptions options, Scripting.SimulatorScript? script, ILogger logger, CancellationToken aborted)
    {
        _socket = socket;
        _options = options;
        _logger = logger;
        _cts = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        _validator = new ClientEventValidator(ProtocolSchemas.For(profile.Dialect));
        _sink = new EventSink(socket, options.Faults, logger, _cts, options.ServerEventObserver);
        _ending = new SessionEnding(socket, _sink, logger, _cts);
        _lifetime = new SessionLifetime(options.TimeProvider, options.EffectiveSessionLifetime);
        _drop = new TimedDrop(socket, _cts, logger);
        _config = new SessionConfig(profile, model, _lifetime.ExpiresAt);
        if (configured is { } secretSession && _config.Apply(secretSession, assistantAudioSent: false, options.Profile.NamesTranscriptionDeployments()) is { } refused)
        {
            throw new InvalidOperationException($"A client secret's session, accepted when minted, was refused when a session started: {refused.Message}");
        }

        _gate = new SessionGate(logger, _config.Id, _cts);
        var conversation = new Conversation();
        _editor = new ConversationEditor(_config, conversation);
        _transcription = new InputAudioTranscription(_config, options);
        _mcp = new McpServers(conversation, options.McpRequestTimeout);
        var items = new OutputItemEvents(profile, conversation);
        var lifecycle = new ResponseLifecycle(_config, conversation, items, new EchoAgent(script), options, _mcp);

        // Answers are paced on the wall clock: the options' TimeProvider is the clock of the session's lifetime only.
        var streamer = new ResponseStreamer(_config, conversation, items, options, TimeProvider.System, _mcp);
        _responses = new ResponseRunner(lifecycle, streamer, _turns, _gate, _sink, profile, logger, _cts.Token);
    }

    public async Task RunAsync()
    {
        try
        {
            _lifetime.Start(ExpireAsync);
            _drop.Start(_options.Faults.NextDropAfter());
            await _gate.RunAsync(async () =>
            {
                await _sink.SendAsync(new JsonObject { ["type"] = "session.created", ["session"] = SessionConfigWriter.ToJson(_config) }).ConfigureAwait(false);

                // A client secret's mcp tools are listed as a session.update's would be, after session.created.
                if (_config.Profile.IsGa && _config.Tools.Count > 0)
                {
                    await ListMcpToolsAsync().ConfigureAwait(false);
                }
            }).ConfigureAwait(false);
            await ReceiveLoopAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
            _logger.LogDebug("Session {Session} ended: {Reason}", _config.Id, e.Message);
        }
        finally
        {
            _lifetime.Dispose();
            _drop.Dispose();
            await _cts.CancelAsync().ConfigureAwait(false);
            if (_responses.Active is { } active)
            {
                active.Finish();
                await active.Streaming.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }

            await _ending.CloseAsync().ConfigureAwait(false);
            await _mcp.DisposeAsync().ConfigureAwait(false);
            _cts.Dispose();
            _options.ClientCloseObserver?.Invoke(_clientCloseStatus);
        }
    }

    private async Task ReceiveLoopAsync()
    {
        using var reader = new ClientMessageReader(_socket);
        while (await reader.ReadAsync(_cts.Token).ConfigureAwait(false) is { } message)
        {
            await _gate.RunAsync(() => _ending.Begun ? Task.CompletedTask : message.Oversized
                ? _sink.SendErrorAsync(RealtimeError.Invalid("message_too_large", $"The event exceeds the maximum size of {ClientMessageReader.MaxMessageBytes} bytes.", null, null))
                : HandleAsync(message.Bytes)).ConfigureAwait(false);
        }

        _clientCloseStatus = reader.ClientCloseStatus;
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
            await _sink.SendErrorAsync(RealtimeError.Invalid("invalid_json", $"We could not parse the JSON body of your request. ({e.Message})", null, null)).ConfigureAwait(false);
            return;
        }

        using (document)
        {
            var root = document.RootElement;
            var eventId = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("event_id", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("type", out var typeElement) || typeElement.ValueKind != JsonValueKind.String)
            {
                await _sink.SendErrorAsync(RealtimeError.Invalid("invalid_event", "The 'type' field is missing.", "type", eventId)).ConfigureAwait(false);
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
                await _sink.SendErrorAsync(new RealtimeError("server_error", null, "The server had an error while processing your request.", null, eventId)).ConfigureAwait(false);
            }
        }
    }

    private Task DispatchAsync(string type, JsonElement root, string? eventId)
    {
        if (_options.Profile == ServiceProfile.OpenAi && BetaShapeDetector.IsBetaShaped(type, root))
        {
            return _ending.EndAsync(BetaShapeDetector.Error(eventId), (WebSocketCloseStatus)BetaShapeDetector.CloseStatus, BetaShapeDetector.CloseReason, _responses.Active);
        }

        // Every event is held to its schema; appends (50 a second) take the validator's quick path for flat events.
        if (_validator.Validate(type, root, eventId) is { } error)
        {
            return _sink.SendErrorAsync(error);
        }

        return type switch
        {
            "input_audio_buffer.append" => AppendAsync(root, eventId),
            "session.update" => UpdateSessionAsync(root.GetProperty("session"), eventId),
            "input_audio_buffer.commit" => CommitAsync(eventId),
            "input_audio_buffer.clear" => ClearAsync(),
            "conversation.item.create" => _sink.SendAsync(_editor.Create(root, eventId)),
            "conversation.item.delete" => _sink.SendAsync(_editor.Delete(root.GetProperty("item_id").GetString()!, eventId)),
            "conversation.item.retrieve" => _sink.SendAsync(_editor.Retrieve(root.GetProperty("item_id").GetString()!, eventId)),
            "conversation.item.truncate" => _sink.SendAsync(_editor.Truncate(root, eventId)),
            "response.create" => _responses.CreateAsync(root, eventId),
            "response.cancel" => _responses.CancelAsync(root, eventId),
            _ => _sink.SendErrorAsync(RealtimeError.Invalid("unsupported_event", $"The local realtime server does not serve '{type}' (WebRTC, SIP and transcription sessions are not simulated).", "type", eventId)),
        };
    }

    private async Task AppendAsync(JsonElement root, string? eventId)
    {
        if (AppendedAudio.Read(root, _config.InputFormat, eventId, out var samples) is { } refused)
        {
            await _sink.SendErrorAsync(refused).ConfigureAwait(false);
            return;
        }

        _turns.Append(samples);
        if (_config.TurnDetection is { } detection)
        {
            await DetectTurnsAsync(detection).ConfigureAwait(false);
        }
    }

    /// <summary>Server VAD's turns, told as they are taken: each one's state change comes before the next (see <see cref="TurnDetector.DetectTurns"/>).</summary>
    private async Task DetectTurnsAsync(TurnDetectionSettings detection)
    {
        foreach (var turn in _turns.DetectTurns(detection))
        {
            await _sink.SendAsync(turn.ToEvent()).ConfigureAwait(false);
            if (turn is SpeechStopped stopped)
            {
                await CommitTurnAsync(stopped.Commit, answer: detection.CreateResponse && _responses.Active is null).ConfigureAwait(false);
            }
            else if (_responses.Active is { } active && detection.InterruptResponse)
            {
                // Barge-in, as OpenAI does: the user speaking over a response cancels it.
                await _responses.EndAsync(active, ResponseOutcome.Cancelled("turn_detected")).ConfigureAwait(false);
            }
        }

        // No speech for idle_timeout_ms after the last answer was heard: the service says so, commits the silent
        // audio as a user turn and answers it (a prompt to go on).
        if (_turns.CheckIdle(detection, responseActive: _responses.Active is not null) is { } idle)
        {
            await _sink.SendAsync(idle.ToEvent()).ConfigureAwait(false);
            await CommitTurnAsync(idle.Commit, answer: detection.CreateResponse).ConfigureAwait(false);
        }
    }

    private Task CommitAsync(string? eventId) => _turns.Commit() is { } commit
        ? CommitTurnAsync(commit, answer: false)
        : _sink.SendErrorAsync(RealtimeError.Invalid(
            "input_audio_buffer_commit_empty",
            $"Error committing input audio buffer: buffer too small. Expected at least {TurnDetector.MinCommitMs}ms of audio, but buffer only has {_turns.BufferedMs.ToString("0.00", CultureInfo.InvariantCulture)}ms of audio.",
            null,
            eventId));

    private Task ClearAsync()
    {
        _turns.Clear();
        return _sink.SendAsync(new JsonObject { ["type"] = "input_audio_buffer.cleared" });
    }

    /// <summary>A committed turn becomes a user item (its events now, its transcription later), then, if asked, is answered.</summary>
    private async Task CommitTurnAsync(TurnCommit commit, bool answer)
    {
        var (part, events) = _editor.AddUserTurn(commit);
        await _sink.SendAllAsync(events).ConfigureAwait(false);
        if (_transcription.IsOn)
        {
            // The service transcribes asynchronously: the transcript comes after the answer has begun.
            _gate.RunLater(_transcription.Delay, () => _sink.SendAllAsync(_transcription.Transcribe(commit.ItemId, part)));
        }

        if (answer)
        {
            await _responses.StartAsync(ResponseRequest.Default).ConfigureAwait(false);
        }
    }

    /// <summary><c>session.update</c>: already checked against the schema; the service's own refusals change nothing.</summary>
    private async Task UpdateSessionAsync(JsonElement session, string? eventId)
    {
        var vadWasOn = _config.TurnDetection is not null;
        if (_config.Apply(session, _responses.AssistantHasSpoken, _options.Profile.NamesTranscriptionDeployments()) is { } refused)
        {
            await _sink.SendErrorAsync(refused.ToError(eventId)).ConfigureAwait(false);
            return;
        }

        if (vadWasOn != (_config.TurnDetection is not null))
        {
            _turns.RestartDetection();
        }

        await _sink.SendAsync(new JsonObject { ["type"] = "session.updated", ["session"] = SessionConfigWriter.ToJson(_config) }).ConfigureAwait(false);
        if (_config.Profile.IsGa && session.TryGetProperty("tools", out _))
        {
            await ListMcpToolsAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The MCP servers the update brought (or changed) are listed as the service lists them: begun now, after
    /// session.updated, and ended (the listed item joins the conversation, or the listing failed) when the server has
    /// answered, without holding up the session meanwhile.
    /// </summary>
    private async Task ListMcpToolsAsync()
    {
        foreach (var listing in _mcp.Update(_config.Tools))
        {
            await _sink.SendAllAsync(_mcp.Begin(listing)).ConfigureAwait(false);
            _gate.RunWhenDone(listing.RunAsync, outcome => _sink.SendAllAsync(_mcp.Finish(listing, outcome.Tools, outcome.Failure)));
        }
    }

    private async Task ExpireAsync()
    {
        try
        {
            _logger.LogInformation("Session {Session} expired after {Lifetime}", _config.Id, _lifetime.Length);
            var error = SessionExpiry.Error(_lifetime.Length);
            await _gate.RunAsync(() => _ending.EndAsync(error, WebSocketCloseStatus.EndpointUnavailable, error.Message, _responses.Active)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or ObjectDisposedException or InvalidOperationException)
        {
            // The session ended meanwhile (client gone, server stopping): nothing left to expire.
            _logger.LogDebug("Session {Session} ended before its expiry could be sent: {Reason}", _config.Id, e.Message);
        }
    }
}
