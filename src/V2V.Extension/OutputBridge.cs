using Microsoft.Extensions.Logging;
using V2V.Extension.Storage;
using V2V.Frames;
using V2V.Ten;
using V2V.Ten.Messages;
using V2V.Voice;
using V2V.Voice.Outputs;

namespace V2V.Extension;

/// <summary>
/// The session's outputs as TEN messages, in order: voice as pcm_frame, transcripts as text_data (and, with storage
/// on, each final turn as data append), barge-in
/// as the flush cmd (sent at once; its result is not awaited, so a slow consumer cannot hold the voice back),
/// errors as data <c>error</c> and in the log. Each audio frame is handed on as the session made it (the pooled
/// frame becomes the TEN frame's samples); a frame that cannot be sent is disposed here.
/// </summary>
internal sealed class OutputBridge(ITenEnv env, long agentStreamId, Func<long> userStreamId, TurnAppender? storage)
{
    private readonly AudioStreamId _agentStream = new(agentStreamId);
    private readonly AgentTurnPieces _agentPieces = new();

    public async Task RunAsync(VoiceSession session, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var output in session.ReadOutputsAsync(cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    await SendAsync(output, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    env.Logger.LogWarning(ex, "{Name}: could not send {Output}", env.Name, output.IsAudio ? "an audio frame" : output.Event!.GetType().Name);
                }
            }
        }
        finally
        {
            await FlushStorageAsync().ConfigureAwait(false);
        }
    }

    /// <summary>The session ended: turns the storage still held behind a question whose words never came are appended.</summary>
    private async ValueTask FlushStorageAsync()
    {
        if (storage is null)
        {
            return;
        }
        try
        {
            await storage.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            env.Logger.LogWarning(ex, "{Name}: could not append the turns held for order at the session's end", env.Name);
        }
    }

    /// <summary>Session events beyond the original contract (data <c>session_event</c>): state, speech boundaries, time to first audio; for timelines and dashboards.</summary>
    private ValueTask SendEventAsync(string kind, CancellationToken cancellationToken, params (string Name, System.Text.Json.Nodes.JsonNode? Value)[] properties)
    {
        var data = new DataMessage("session_event");
        data.Set("kind", kind);
        foreach (var (name, value) in properties)
        {
            data.Set(name, value);
        }
        return env.SendDataAsync(data, cancellationToken);
    }

    private async Task FlushAsync(string? interruptedItemId, CancellationToken cancellationToken)
    {
        try
        {
            // The flush overtakes frames already queued downstream: the item id lets a consumer drop those too.
            var flush = new Cmd("flush");
            if (interruptedItemId is not null)
            {
                flush.Set("item_id", interruptedItemId);
            }
            var result = await env.SendCmdAsync(flush, cancellationToken).ConfigureAwait(false);
            if (result.Status != StatusCode.Ok)
            {
                env.Logger.LogDebug("{Name}: flush answered {Detail}", env.Name, result.Detail);
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            env.Logger.LogDebug(ex, "{Name}: flush was not delivered", env.Name);
        }
    }

    /// <summary>
    /// A transcript as TEN's message_collector reads text_data: it caches the pieces of a stream_id whose is_final is
    /// true or absent, and publishes the cache plus the text of the piece with end_of_segment as the whole turn. So the
    /// agent's sentences go out without is_final (as the original's since 2024-10: each adds to the turn), and its
    /// closing piece (the rest, possibly empty) with is_final and end_of_segment; the user's turn is one piece with
    /// both. A consumer that shows is_final as "the turn is over" (the playground) reads the same messages rightly.
    /// </summary>
    private static DataMessage TextData(TranscriptOutput transcript, long streamId)
    {
        var data = new DataMessage("text_data");
        data.Set("text", transcript.Text)
            .Set("end_of_segment", transcript.EndOfSegment)
            .Set("role", transcript.Role == TranscriptRole.User ? "user" : "assistant")
            .Set("stream_id", streamId);
        if (transcript.IsFinal)
        {
            data.Set("is_final", true);
        }
        if (transcript.Interrupted)
        {
            data.Set("interrupted", true);
        }
        if (transcript.Role == TranscriptRole.User && transcript.ItemId is { } itemId)
        {
            data.Set("item_id", itemId); // the turn a user_transcript_pending event kept a place for
        }
        return data;
    }

    private async ValueTask SendAsync(VoiceSessionOutput output, CancellationToken cancellationToken)
    {
        if (output.TryGetAudio(out var voice))
        {
            // The session's frame goes on as it is (no copy, no property bag): the graph's receiver disposes it.
            // Beyond the original contract, it says which item it is of and where in it it ends (item_id, end_ms),
            // so that a consumer (or a test) can tell exactly what was heard of an interrupted answer.
            voice.SetStream(_agentStream);
            var frame = new AudioFrame("pcm_frame", voice);
            try
            {
                await env.SendAudioFrameAsync(frame, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                frame.Dispose(); // not delivered: nobody else will
                throw;
            }
            return;
        }
        switch (output.Event)
        {
            case TranscriptOutput transcript:
                var streamId = transcript.Role == TranscriptRole.User ? userStreamId() : agentStreamId;
                if (transcript.Role == TranscriptRole.Assistant && !_agentPieces.ShouldSend(transcript))
                {
                    break;
                }
                await env.SendDataAsync(TextData(transcript, streamId), cancellationToken).ConfigureAwait(false);
                if (storage is not null)
                {
                    await storage.OnTranscriptAsync(transcript, streamId, cancellationToken).ConfigureAwait(false);
                }
                break;
            case UserTranscriptPendingOutput pending:
                if (storage is not null)
                {
                    await storage.OnUserTranscriptPendingAsync(pending, cancellationToken).ConfigureAwait(false);
                }
                // A display can keep the turn's place (its words come later, perhaps after the answer's): the user's
                // text_data carries the same item_id.
                await SendEventAsync("user_transcript_pending", cancellationToken, ("item_id", pending.ItemId), ("pending", pending.Pending)).ConfigureAwait(false);
                break;
            case FlushOutput flush:
                _ = FlushAsync(flush.InterruptedItemId, cancellationToken);
                break;
            case ErrorOutput error:
                if (error.Fatal)
                {
                    env.Logger.LogError("{Name}: {Message}", env.Name, error.Message);
                }
                else
                {
                    env.Logger.LogWarning("{Name}: {Message}", env.Name, error.Message);
                }
                var message = new DataMessage("error");
                message.Set("message", error.Message).Set("code", error.Code).Set("fatal", error.Fatal);
                // A listener that shows the failure can say what happens next: the session asks again by itself
                // (will_retry), or the service asked for a wait (retry_after_ms) that the user should know of.
                message.Set("will_retry", error.WillRetry);
                if (error.RetryAfter is { } wait)
                {
                    message.Set("retry_after_ms", (long)wait.TotalMilliseconds);
                }
                await env.SendDataAsync(message, cancellationToken).ConfigureAwait(false);
                break;
            case StateOutput state:
                env.Logger.LogInformation("{Name}: {State} {Detail}", env.Name, state.State, state.Detail ?? "");
                await SendEventAsync("state", cancellationToken, ("state", state.State.ToString().ToLowerInvariant()), ("detail", state.Detail)).ConfigureAwait(false);
                break;
            case UserSpeechOutput speech:
                await SendEventAsync(speech.Started ? "user_speech_started" : "user_speech_stopped", cancellationToken, ("audio_ms", speech.AudioMs)).ConfigureAwait(false);
                break;
            case UserIdleOutput idle:
                // The service prompts a silent user (idle_timeout_ms): a host that ends calls nobody speaks in counts these.
                await SendEventAsync("user_idle", cancellationToken, ("item_id", idle.ItemId), ("silent_from_ms", idle.SilentFromMs), ("silent_to_ms", idle.SilentToMs)).ConfigureAwait(false);
                break;
            case McpToolsOutput tools:
                await SendEventAsync("mcp_tools", cancellationToken, ("server_label", tools.ServerLabel), ("tools", new System.Text.Json.Nodes.JsonArray([.. tools.Tools.Select(t => System.Text.Json.Nodes.JsonValue.Create(t))])), ("failed", tools.Failed)).ConfigureAwait(false);
                break;
            case McpCallOutput call:
                // The service runs the call itself; a graph shows or logs it (the model speaks the result).
                await SendEventAsync("mcp_call", cancellationToken, ("item_id", call.ItemId), ("server_label", call.ServerLabel), ("name", call.Name), ("arguments", call.Arguments),
                    ("state", call.State.ToString().ToLowerInvariant()), ("output", call.Output), ("error", call.Error)).ConfigureAwait(false);
                break;
            case McpApprovalRequestOutput request:
                // Nothing runs until a node answers with the cmd mcp_approval (request_id, approve, reason).
                await SendEventAsync("mcp_approval_request", cancellationToken, ("request_id", request.RequestId), ("server_label", request.ServerLabel), ("name", request.Name), ("arguments", request.Arguments)).ConfigureAwait(false);
                break;
            case FirstAudioOutput first:
                await SendEventAsync("first_audio", cancellationToken, ("latency_ms", first.LatencyMs), ("item_id", first.ItemId)).ConfigureAwait(false);
                break;
        }
    }
}
