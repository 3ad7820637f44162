using System.Diagnostics;
using Microsoft.Extensions.Logging;
using V2V.Realtime.Protocol;
using V2V.Realtime.Protocol.ServerEvents;
using V2V.Voice.Diagnostics;
using V2V.Voice.Outputs;

namespace V2V.Voice;

public sealed partial class VoiceSession
{
    // Actor-owned state of the response being heard (the rest is the turn tracker's).
    private string? _unpacedItem;
    private double _unpacedItemMs;
    private long? _endOfSpeech;
    private bool _waitingForFirstAudio;
    private readonly Errors.FailedTranscription _failedTranscription = new();

    private async ValueTask HandleServerEventAsync(RealtimeServerEvent serverEvent, CancellationToken ct)
    {
        switch (serverEvent)
        {
            case ResponseOutputAudioDeltaEvent audio:
                using (audio)
                {
                    await OnAudioDeltaAsync(audio, ct).ConfigureAwait(false);
                }
                break;
            case ResponseOutputAudioTranscriptDeltaEvent delta when Live(delta.ResponseId):
                await OnAssistantTextAsync(delta.ItemId, delta.Delta, ct).ConfigureAwait(false);
                break;
            case ResponseOutputTextDeltaEvent delta when Live(delta.ResponseId):
                await OnAssistantTextAsync(delta.ItemId, delta.Delta, ct).ConfigureAwait(false);
                break;
            case ResponseOutputAudioTranscriptDoneEvent done when Live(done.ResponseId):
                await CloseAssistantTurnAsync(done.Transcript, interrupted: false, ct).ConfigureAwait(false);
                break;
            case ResponseOutputTextDoneEvent done when Live(done.ResponseId):
                await CloseAssistantTurnAsync(done.Text, interrupted: false, ct).ConfigureAwait(false);
                break;
            case ResponseOutputAudioDoneEvent done when Live(done.ResponseId):
                _frameScratch.Clear();
                _cutter.Finish(_frameScratch);
                await DeliverFramesAsync(ct).ConfigureAwait(false);
                break;
            case InputAudioBufferSpeechStartedEvent started:
                await EmitAsync(new UserSpeechOutput(true, started.AudioStartMs), ct).ConfigureAwait(false);
                if (_options.TurnMode is TurnMode.ServerVad or TurnMode.SemanticVad)
                {
                    await BargeInAsync("the server heard speech", ct).ConfigureAwait(false);
                }
                break;
            case InputAudioBufferSpeechStoppedEvent stopped:
                await EmitAsync(new UserSpeechOutput(false, stopped.AudioEndMs), ct).ConfigureAwait(false);
                // The server's clock is the input buffer: the end of speech was sent (now - the audio since) ago.
                var behindMs = Math.Max(0, InputMs - stopped.AudioEndMs);
                _endOfSpeech = Stopwatch.GetTimestamp() - (long)(behindMs / 1000 * Stopwatch.Frequency);
                _waitingForFirstAudio = true;
                break;
            case ConversationItemInputAudioTranscriptionCompletedEvent transcript:
                _history.AddUser(transcript.Transcript);
                await EmitAsync(new TranscriptOutput(TranscriptRole.User, transcript.Transcript, true, true, false, transcript.ItemId), ct).ConfigureAwait(false);
                break;
            case ConversationItemInputAudioTranscriptionFailedEvent failed:
                _logger.LogWarning("Input transcription of {Item} failed: {Error}", failed.ItemId, failed.Error);
                if (_failedTranscription.Report(failed, _options) is { } report)
                {
                    await EmitAsync(report, ct).ConfigureAwait(false);
                }
                break;
            case ResponseCreatedEvent created when created.Response.Id is { } createdId:
                _turns.OnResponseCreated(createdId);
                break;
            case ResponseOutputItemAddedEvent added when added.Item.Type == "function_call" && added.Item.CallId is { } callId:
                _callNames[callId] = added.Item.Name ?? "";
                break;
            case ResponseFunctionCallArgumentsDoneEvent call when Live(call.ResponseId):
                StartToolCall(call.CallId, call.Name ?? _callNames.GetValueOrDefault(call.CallId, ""), call.Arguments);
                break;
            case ResponseDoneEvent done:
                await OnResponseDoneAsync(done, ct).ConfigureAwait(false);
                break;
            case SessionUpdatedEvent:
                _configureAnswer.Accepted();
                break;
            case ErrorEvent error:
                await OnServerErrorAsync(error, ct).ConfigureAwait(false);
                break;
            case MalformedServerEvent malformed:
                await EmitAsync(new ErrorOutput($"malformed message from the server: {malformed.Reason}", "malformed_event", Fatal: false), ct).ConfigureAwait(false);
                break;
            default:
                // Lifecycle acknowledgements (session.updated, committed, item created, ...) and late deltas of
                // cancelled responses need nothing.
                (serverEvent as IDisposable)?.Dispose();
                break;
        }
    }

    private async ValueTask OnAudioDeltaAsync(ResponseOutputAudioDeltaEvent audio, CancellationToken ct)
    {
        if (!Live(audio.ResponseId) || !_options.AudioOut)
        {
            VoiceMetrics.FramesDropped.Add(1, new KeyValuePair<string, object?>("reason", _turns.IsCancelled(audio.ResponseId) ? "cancelled_response" : "unknown_response"));
            return;
        }
        _dump?.WriteOutput(audio.Audio.Span);
        var ms = audio.Audio.Length / 48.0; // pcm16 at 24 kHz: 48 bytes per ms
        _turns.OnAudioReceived(audio.ItemId, audio.ContentIndex, audio.ResponseId, ms);
        _frameScratch.Clear();
        _cutter.Add(audio.ItemId, audio.Audio.Span, _frameScratch);
        await DeliverFramesAsync(ct).ConfigureAwait(false);
        V2V.Realtime.Diagnostics.RealtimeProbe.OutputReady(audio.ReceivedTimestamp);
        if (_waitingForFirstAudio && _endOfSpeech is long end)
        {
            var latency = Stopwatch.GetElapsedTime(end).TotalMilliseconds;
            VoiceMetrics.TimeToFirstAudio.Record(latency);
            _waitingForFirstAudio = false;
            await EmitAsync(new FirstAudioOutput(latency, audio.ItemId), ct).ConfigureAwait(false);
        }
    }

    /// <summary>Hands the frames just cut to the playout queue (paced) or straight to the reader (unpaced).</summary>
    private async ValueTask DeliverFramesAsync(CancellationToken ct)
    {
        if (_frameScratch.Count == 0)
        {
            return;
        }
        if (_playout is not null)
        {
            _playout.Enqueue(_frameScratch);
            return;
        }
        foreach (var frame in _frameScratch)
        {
            // Read before handing it on: the reader owns (and may dispose) the frame once it is written.
            var (item, endMs) = (frame.ItemId, frame.ItemEndMs);
            await EmitAsync(new AudioOutput(frame), ct).ConfigureAwait(false);
            _unpacedItem = item;
            _unpacedItemMs = endMs;
        }
    }

    private async ValueTask OnResponseDoneAsync(ResponseDoneEvent done, CancellationToken ct)
    {
        var response = done.Response;
        if (response.Usage is { } usage)
        {
            VoiceMetrics.Tokens.Add(usage.InputTokens ?? 0, new KeyValuePair<string, object?>("kind", "input"));
            VoiceMetrics.Tokens.Add(usage.OutputTokens ?? 0, new KeyValuePair<string, object?>("kind", "output"));
        }
        if (_turns.OnResponseDone(response.Id) && _turns.TurnAudioMs > 0)
        {
            VoiceMetrics.TurnLength.Record(_turns.TurnAudioMs);
        }
        if (response.Status is "failed" or "incomplete" && _transcript.IsOpen)
        {
            await CloseAssistantTurnAsync(null, interrupted: true, ct).ConfigureAwait(false);
        }
        if (response.Status == "failed")
        {
            var failure = Errors.FailedResponse.Describe(response);
            if (failure.Fatal)
            {
                await FailAsync(failure.Message, ct, failure.Code).ConfigureAwait(false);
                return;
            }
            _logger.LogWarning("A response failed: {Message}", failure.Message);
            await EmitAsync(failure, ct).ConfigureAwait(false);
        }
        await SendDeferredResponseIfReadyAsync(ct).ConfigureAwait(false);
        await AnswerToolOutputsIfReadyAsync(ct).ConfigureAwait(false);
    }

    private async ValueTask OnServerErrorAsync(ErrorEvent error, CancellationToken ct)
    {
        if (_configureAnswer.IsRefusal(error))
        {
            // At the start, StartAsync throws it; later (a reconnect or renewal), the session cannot go on as configured.
            if (Volatile.Read(ref _configurationConfirmed) == 1)
            {
                await FailAsync(Configuration.ConfigurationRefusal.Describe(error.Error), ct, error.Error.Code).ConfigureAwait(false);
            }
            return;
        }
        if (Connection.FailureClassifier.IsFatalCode(error.Error.Code))
        {
            await FailAsync($"the server ended the session: {error.Error}", ct, error.Error.Code).ConfigureAwait(false);
            return;
        }
        if (await OnCreateRefusedAsync(error, ct).ConfigureAwait(false))
        {
            return;
        }
        // Cancelling a response that has just ended is a race every barge-in can lose; it is harmless.
        if (error.Error.Code is "response_cancel_not_active")
        {
            _logger.LogDebug("Cancel arrived after the response ended");
            return;
        }
        await EmitAsync(new ErrorOutput(error.Error.ToString(), error.Error.Code, Fatal: false), ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Output of a response counts only when the server announced the response (response.created) on this
    /// connection and it was not cancelled: late deltas of a barge-in and deltas out of order are dropped.
    /// </summary>
    private bool Live(string? responseId) => _turns.IsLive(responseId);
}
