using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using V2V.Simulator.Audio;
using V2V.Simulator.Protocol;
using V2V.Simulator.Responses;
using V2V.Simulator.Turns;
using V2V.Simulator.Vad;

namespace V2V.Simulator.Session;

/// <summary>The input audio buffer: append (with server VAD), commit, clear.</summary>
internal sealed partial class RealtimeSession
{
    /// <summary>OpenAI's limit for the audio of one append.</summary>
    public const int MaxAppendBytes = 15 * 1024 * 1024;

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

        _turns.Append(Pcm.Decode(bytes, _config.InputFormat));
        if (_config.TurnDetection is { } detection)
        {
            await DetectTurnsAsync(detection).ConfigureAwait(false);
        }
    }

    private async Task DetectTurnsAsync(TurnDetectionSettings detection)
    {
        foreach (var turn in _turns.DetectTurns(detection))
        {
            await SendAsync(turn.ToEvent()).ConfigureAwait(false);
            if (turn is SpeechStopped stopped)
            {
                await CommitTurnAsync(stopped.Commit).ConfigureAwait(false);
                if (detection.CreateResponse && _responses.Active is null)
                {
                    StartResponse(ResponseRequest.Default);
                }
            }
            else if (_responses.Active is { } active && detection.InterruptResponse)
            {
                // Barge-in, as OpenAI does: the user speaking over a response cancels it.
                await EndResponseAsync(active, ResponseOutcome.Cancelled("turn_detected")).ConfigureAwait(false);
            }
        }

        // No speech for idle_timeout_ms after the last answer was heard: the service says so, commits the silent
        // audio as a user turn and answers it (a prompt to go on).
        if (_turns.CheckIdle(detection, responseActive: _responses.Active is not null) is { } idle)
        {
            await SendAsync(idle.ToEvent()).ConfigureAwait(false);
            await CommitTurnAsync(idle.Commit).ConfigureAwait(false);
            if (detection.CreateResponse)
            {
                StartResponse(ResponseRequest.Default);
            }
        }
    }

    private async Task CommitAsync(string? eventId)
    {
        if (_turns.Commit() is not { } commit)
        {
            await SendErrorAsync(RealtimeError.Invalid(
                "input_audio_buffer_commit_empty",
                $"Error committing input audio buffer: buffer too small. Expected at least {TurnDetector.MinCommitMs}ms of audio, but buffer only has {_turns.BufferedMs.ToString("0.00", CultureInfo.InvariantCulture)}ms of audio.",
                null,
                eventId)).ConfigureAwait(false);
            return;
        }

        await CommitTurnAsync(commit).ConfigureAwait(false);
    }

    private async Task ClearAsync()
    {
        _turns.Clear();
        await SendAsync(new JsonObject { ["type"] = "input_audio_buffer.cleared" }).ConfigureAwait(false);
    }

    /// <summary>Turns committed audio into a user audio item: committed, then the item events, then (later) its transcription.</summary>
    private async Task CommitTurnAsync(TurnCommit commit)
    {
        var (part, events) = _editor.AddUserTurn(commit);
        await SendAllAsync(events).ConfigureAwait(false);
        if (_transcription.IsOn)
        {
            Later(_transcription.Delay, () => SendAllAsync(_transcription.Transcribe(commit.ItemId, part)));
        }
    }
}
