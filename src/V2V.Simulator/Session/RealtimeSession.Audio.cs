using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using V2V.Simulator.Audio;
using V2V.Simulator.Protocol;
using V2V.Simulator.Responses;
using V2V.Simulator.Vad;

namespace V2V.Simulator.Session;

/// <summary>The input audio buffer: append (with server VAD), commit, clear.</summary>
internal sealed partial class RealtimeSession
{
    /// <summary>OpenAI's limit for the audio of one append.</summary>
    public const int MaxAppendBytes = 15 * 1024 * 1024;

    /// <summary>Where idle time counts from (session time in samples): the end of the last speech or of the last answer's playback.</summary>
    private long? _idleFromSample = 0;

    private async Task AppendAsync(JsonElement root, string? eventId)
    {
        if (!root.TryGetProperty("audio", out var audio) || audio.ValueKind != JsonValueKind.String)
        {
            await SendErrorAsync(RealtimeError.Invalid("missing_required_parameter", "Missing required parameter: 'audio'.", "audio", eventId)).ConfigureAwait(false);
            return;
        }

        byte[] bytes;
        try
        {
            bytes = audio.GetBytesFromBase64();
        }
        catch (FormatException)
        {
            await SendErrorAsync(RealtimeError.Invalid("invalid_value", "Invalid 'audio'. Expected base64-encoded audio bytes.", "audio", eventId)).ConfigureAwait(false);
            return;
        }

        if (bytes.Length > MaxAppendBytes)
        {
            await SendErrorAsync(RealtimeError.Invalid("invalid_value", $"Audio of {bytes.Length} bytes exceeds the maximum of 15 MiB per append.", "audio", eventId)).ConfigureAwait(false);
            return;
        }

        _buffer.Append(Pcm.Decode(bytes, _config.InputFormat));
        if (_config.TurnDetection is { } detection)
        {
            await DetectTurnsAsync(detection).ConfigureAwait(false);
        }
    }

    private async Task DetectTurnsAsync(TurnDetectionSettings detection)
    {
        foreach (var vad in _vad.Process(detection, _buffer.Slice, _buffer.StartSample, _buffer.EndSample))
        {
            if (vad.Started)
            {
                _speechItemId = EventIds.Item();
                _speechStartSample = vad.Sample;
                await SendAsync(new JsonObject
                {
                    ["type"] = "input_audio_buffer.speech_started",
                    ["audio_start_ms"] = Pcm.Ms(vad.Sample),
                    ["item_id"] = _speechItemId,
                }).ConfigureAwait(false);

                // Barge-in, as OpenAI does: the user speaking over a response cancels it.
                if (_active is not null && detection.InterruptResponse)
                {
                    await FinishResponseAsync(_active, "cancelled", Cancelled("turn_detected")).ConfigureAwait(false);
                }
            }
            else if (_speechItemId is { } itemId)
            {
                await SendAsync(new JsonObject
                {
                    ["type"] = "input_audio_buffer.speech_stopped",
                    ["audio_end_ms"] = Pcm.Ms(vad.Sample),
                    ["item_id"] = itemId,
                }).ConfigureAwait(false);
                _speechItemId = null;
                _idleFromSample = vad.Sample;
                await CommitRangeAsync(_speechStartSample, vad.Sample, itemId).ConfigureAwait(false);
                if (detection.CreateResponse && _active is null)
                {
                    await StartResponseAsync(ResponseRequest.Default).ConfigureAwait(false);
                }
            }
        }

        if (!_vad.InSpeech && detection.IdleTimeoutMs is { } idleMs && _active is null
            && _idleFromSample is { } idleFrom && _buffer.EndSample - idleFrom >= idleMs * (long)Pcm.SamplesPerMs)
        {
            await IdleTimeoutAsync(detection, idleFrom).ConfigureAwait(false);
        }

        if (!_vad.InSpeech)
        {
            // Between turns only the prefix padding can still become part of an item: keep no more than that.
            _buffer.DiscardBefore(_buffer.EndSample - ((detection.PrefixPaddingMs + EnergyVad.FrameMs + EnergyVad.MinSpeechMs) * (long)Pcm.SamplesPerMs));
        }
    }

    private async Task CommitAsync(string? eventId)
    {
        var ms = _buffer.Count / (double)Pcm.SamplesPerMs;
        if (ms < 100)
        {
            await SendErrorAsync(RealtimeError.Invalid(
                "input_audio_buffer_commit_empty",
                $"Error committing input audio buffer: buffer too small. Expected at least 100ms of audio, but buffer only has {ms.ToString("0.00", CultureInfo.InvariantCulture)}ms of audio.",
                null,
                eventId)).ConfigureAwait(false);
            return;
        }

        var itemId = _speechItemId ?? EventIds.Item();
        _speechItemId = null;
        await CommitRangeAsync(_buffer.StartSample, _buffer.EndSample, itemId).ConfigureAwait(false);
        _vad.Reset(_buffer.EndSample);
    }

    private async Task ClearAsync()
    {
        _buffer.Clear();
        _vad.Reset(_buffer.EndSample);
        _speechItemId = null;
        await SendAsync(new JsonObject { ["type"] = "input_audio_buffer.cleared" }).ConfigureAwait(false);
    }

    /// <summary>Turns a range of the buffer into a user audio item: committed, then the item events, then its transcription.</summary>
    private async Task CommitRangeAsync(long fromSample, long toSample, string itemId)
    {
        var part = new ContentPart { Kind = ContentKind.InputAudio, Audio = _buffer.Slice(fromSample, toSample) };
        _buffer.DiscardBefore(toSample);
        var item = new ConversationItem { Id = itemId, Type = "message", Role = "user" };
        item.Content.Add(part);
        var previous = _conversation.Insert(item, null);
        await SendAsync(new JsonObject
        {
            ["type"] = "input_audio_buffer.committed",
            ["previous_item_id"] = previous,
            ["item_id"] = itemId,
        }).ConfigureAwait(false);
        await AnnounceItemAsync(item, previous).ConfigureAwait(false);

        if (_config.InputTranscription is not null)
        {
            // The service transcribes asynchronously: the transcript comes a few hundred ms later, after the answer has begun.
            Later(Pacer.Scale(_options.TranscriptionDelay, _options.SpeedFactor), () => TranscribeAsync(itemId, part));
        }
    }

    private async Task TranscribeAsync(string itemId, ContentPart part)
    {
        // On Azure the transcription model names a deployment: one the resource lacks fails every turn's transcription.
        var model = _config.InputTranscription?["model"]?.GetValue<string>();
        var failure = TranscriptionModels.FailureFor(SpeaksForAzure, model, _options.AzureDeployments)
            ?? (_options.Faults.FailTranscriptions
                ? new JsonObject { ["type"] = "transcription_error", ["code"] = "audio_unintelligible", ["message"] = "The audio could not be transcribed.", ["param"] = null }
                : null);
        if (failure is not null)
        {
            if (!Profile.IsGa && failure["param"] is null)
            {
                failure.Remove("param"); // the beta file types it as a string: absent rather than null
            }

            await SendAsync(new JsonObject
            {
                ["type"] = "conversation.item.input_audio_transcription.failed",
                ["item_id"] = itemId,
                ["content_index"] = 0,
                ["error"] = failure,
            }).ConfigureAwait(false);
            return;
        }

        part.Transcript = EchoAgent.DescribeUserAudio(part.AudioMs);
        await SendAsync(new JsonObject
        {
            ["type"] = "conversation.item.input_audio_transcription.delta",
            ["item_id"] = itemId,
            ["content_index"] = 0,
            ["delta"] = part.Transcript,
            ["obfuscation"] = Obfuscation.For(part.Transcript),
        }).ConfigureAwait(false);
        var completed = new JsonObject
        {
            ["type"] = "conversation.item.input_audio_transcription.completed",
            ["item_id"] = itemId,
            ["content_index"] = 0,
            ["transcript"] = part.Transcript,
        };
        if (Profile.IsGa)
        {
            completed["usage"] = new JsonObject { ["type"] = "duration", ["seconds"] = part.AudioMs / 1000.0 };
        }

        await SendAsync(completed).ConfigureAwait(false);
    }

    /// <summary>
    /// No speech for <c>idle_timeout_ms</c> after the last answer was heard: the service says so, commits the silent
    /// audio as a user turn and answers it (a prompt to go on).
    /// </summary>
    private async Task IdleTimeoutAsync(TurnDetectionSettings detection, long idleFrom)
    {
        _idleFromSample = null;
        var itemId = EventIds.Item();
        await SendAsync(new JsonObject
        {
            ["type"] = "input_audio_buffer.timeout_triggered",
            ["audio_start_ms"] = Pcm.Ms(idleFrom),
            ["audio_end_ms"] = Pcm.Ms(_buffer.EndSample),
            ["item_id"] = itemId,
        }).ConfigureAwait(false);
        await CommitRangeAsync(Math.Max(idleFrom, _buffer.StartSample), _buffer.EndSample, itemId).ConfigureAwait(false);
        _vad.Reset(_buffer.EndSample);
        if (detection.CreateResponse)
        {
            await StartResponseAsync(ResponseRequest.Default).ConfigureAwait(false);
        }
    }

    /// <summary>Idle time counts again from when the listener will have heard the whole answer.</summary>
    private void OnResponseFinished(ActiveResponse response) =>
        _idleFromSample = Math.Max(_buffer.EndSample, response.StartInputSample + response.AudioSamplesSent);

    /// <summary>Tells the client a complete item joined the conversation, in the dialect's events.</summary>
    private async Task AnnounceItemAsync(ConversationItem item, string? previous)
    {
        await SendAsync(new JsonObject { ["type"] = Profile.ItemAddedEvent, ["previous_item_id"] = previous, ["item"] = item.ToJson(Profile) }).ConfigureAwait(false);
        if (Profile.SendsItemDone)
        {
            await SendAsync(new JsonObject { ["type"] = "conversation.item.done", ["previous_item_id"] = previous, ["item"] = item.ToJson(Profile) }).ConfigureAwait(false);
        }
    }
}
