using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using V2V.Simulator.Audio;
using V2V.Simulator.Responses;

namespace V2V.Simulator.Session;

/// <summary>
/// Streams a planned response in OpenAI's order: response.created, then per output item output_item.added,
/// content_part.added, the deltas, the done events, output_item.done; then response.done. Each step takes the
/// gate and first checks that the response was not ended meanwhile (cancel, barge-in).
/// </summary>
internal sealed partial class RealtimeSession
{
    private async Task StreamAsync(ActiveResponse r)
    {
        try
        {
            await Pacer.WaitAsync(r.StartDelay, r.Token).ConfigureAwait(false);
            if (!await StepAsync(r, async () =>
            {
                await SendAsync(new JsonObject { ["type"] = "response.created", ["response"] = ResponseJson.Build(r, _config, _conversation.Id, "in_progress", null, null) }).ConfigureAwait(false);
                if (!Profile.IsGa)
                {
                    // The beta service reported its rate limits as a response began; GA does so once it is done.
                    await SendAsync(RateLimits.Event()).ConfigureAwait(false);
                }
            }).ConfigureAwait(false))
            {
                return;
            }

            if (r.FailWith is { } code)
            {
                await StepAsync(r, () => EndResponseAsync(r, ResponseOutcome.Failed(code))).ConfigureAwait(false);
                return;
            }

            var pacer = new Pacer(_options);
            var chunks = new AudioChunkSchedule(_options.AudioChunkMs);
            var audioOffsetMs = 0;
            for (var index = 0; index < r.Plan.Count; index++)
            {
                var planned = r.Plan[index];
                var item = planned is PlannedFunctionCall call
                    ? new ConversationItem { Type = "function_call", Status = "in_progress", CallId = Protocol.EventIds.Call(), Name = call.Name, Arguments = string.Empty }
                    : new ConversationItem { Type = "message", Role = "assistant", Status = "in_progress" };
                var ok = planned switch
                {
                    PlannedAudio audio => await StreamAudioAsync(r, index, item, audio, pacer, chunks, audioOffsetMs).ConfigureAwait(false),
                    PlannedText text => await StreamTextAsync(r, index, item, text).ConfigureAwait(false),
                    PlannedFunctionCall fc => await StreamCallAsync(r, index, item, fc).ConfigureAwait(false),
                    _ => false,
                };
                if (!ok)
                {
                    return;
                }

                audioOffsetMs += planned is PlannedAudio a ? Pcm.Ms(a.Audio.Length) : 0;
            }

            await StepAsync(r, () => EndResponseAsync(r, ResponseOutcome.Completed())).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or System.Net.WebSockets.WebSocketException or ObjectDisposedException)
        {
            _logger.LogDebug("Response {Response} stopped: {Reason}", r.Id, e.Message);
        }
        catch (Exception e)
        {
            _logger.LogError(e, "Response {Response} failed", r.Id);
        }
        finally
        {
            r.Dispose();
        }
    }

    private async Task<bool> StepAsync(ActiveResponse r, Func<Task> step)
    {
        await _gate.WaitAsync(Token).ConfigureAwait(false);
        try
        {
            if (r.Finished)
            {
                return false;
            }

            await step().ConfigureAwait(false);
            return true;
        }
        finally
        {
            _gate.Release();
        }
    }

    private Task<bool> BeginItemAsync(ActiveResponse r, int index, ConversationItem item, ContentPart? part, JsonObject? partJson) =>
        StepAsync(r, () => SendAllAsync(_items.Open(r, index, item, part, partJson)));

    private Task EndItemAsync(ActiveResponse r, string status) => SendAllAsync(_items.CloseOpen(r, status));

    private async Task<bool> StreamAudioAsync(ActiveResponse r, int index, ConversationItem item, PlannedAudio planned, Pacer pacer, AudioChunkSchedule chunks, int offsetMs)
    {
        var totalMs = Pcm.Ms(planned.Audio.Length);
        var part = new ContentPart { Kind = ContentKind.OutputAudio, Audio = planned.Audio, AudioSamples = 0, Transcript = string.Empty };
        item.Content.Add(part);
        if (!await BeginItemAsync(r, index, item, part, new JsonObject { ["type"] = "audio", ["transcript"] = string.Empty }).ConfigureAwait(false))
        {
            return false;
        }

        var words = planned.Transcript.Split(' ');
        var wordsSent = 0;
        for (var start = 0; start < planned.Audio.Length;)
        {
            var chunkStart = start;
            var end = Math.Min(planned.Audio.Length, chunkStart + chunks.NextSamples());
            start = end;
            await pacer.WaitUntilAudioAsync(offsetMs + Pcm.Ms(chunkStart), offsetMs + Pcm.Ms(end), r.Token).ConfigureAwait(false);
            var ok = await StepAsync(r, async () =>
            {
                var chunk = planned.Audio.AsSpan(chunkStart, end - chunkStart);
                part.AudioSamples = end;
                r.AudioSamplesSent += end - chunkStart;
                await SendAsync(OutputItemEvents.Delta(Profile.AudioDelta, r, index, item, Convert.ToBase64String(Pcm.Encode(chunk, _config.OutputFormat)))).ConfigureAwait(false);

                // The transcript is interleaved with the audio: a word goes out with the delta in which its audio starts.
                var due = ContentPart.WordsStartedBy(Pcm.Ms(end), words.Length, totalMs);
                if (due > wordsSent)
                {
                    var text = string.Join(' ', words[wordsSent..due]);
                    var delta = wordsSent == 0 ? text : " " + text;
                    part.Transcript += delta;
                    wordsSent = due;
                    await SendAsync(OutputItemEvents.Delta(Profile.AudioTranscriptDelta, r, index, item, delta)).ConfigureAwait(false);
                }
            }).ConfigureAwait(false);
            if (!ok)
            {
                return false;
            }
        }

        return await StepAsync(r, async () =>
        {
            part.Transcript = planned.Transcript;
            _conversation.Trim();
            await EndItemAsync(r, "completed").ConfigureAwait(false);
        }).ConfigureAwait(false);
    }

    private async Task<bool> StreamTextAsync(ActiveResponse r, int index, ConversationItem item, PlannedText planned)
    {
        var part = new ContentPart { Kind = ContentKind.OutputText, Text = string.Empty };
        item.Content.Add(part);
        if (!await BeginItemAsync(r, index, item, part, new JsonObject { ["type"] = "text", ["text"] = string.Empty }).ConfigureAwait(false))
        {
            return false;
        }

        var words = planned.Text.Split(' ');
        for (var i = 0; i < words.Length; i++)
        {
            var delta = i == 0 ? words[i] : " " + words[i];
            if (!await StepAsync(r, () =>
            {
                part.Text += delta;
                return SendAsync(OutputItemEvents.Delta(Profile.TextDelta, r, index, item, delta));
            }).ConfigureAwait(false))
            {
                return false;
            }
        }

        return await StepAsync(r, () => EndItemAsync(r, "completed")).ConfigureAwait(false);
    }

    private async Task<bool> StreamCallAsync(ActiveResponse r, int index, ConversationItem item, PlannedFunctionCall planned)
    {
        if (!await BeginItemAsync(r, index, item, null, null).ConfigureAwait(false))
        {
            return false;
        }

        const int DeltaChars = 16;
        for (var at = 0; at < planned.Arguments.Length; at += DeltaChars)
        {
            var delta = planned.Arguments.Substring(at, Math.Min(DeltaChars, planned.Arguments.Length - at));
            if (!await StepAsync(r, () =>
            {
                item.Arguments += delta;
                return SendAsync(new JsonObject
                {
                    ["type"] = "response.function_call_arguments.delta",
                    ["response_id"] = r.Id,
                    ["item_id"] = item.Id,
                    ["output_index"] = index,
                    ["call_id"] = item.CallId,
                    ["delta"] = delta,
                });
            }).ConfigureAwait(false))
            {
                return false;
            }
        }

        return await StepAsync(r, async () =>
        {
            item.Arguments = planned.Arguments;
            await SendAsync(new JsonObject
            {
                ["type"] = "response.function_call_arguments.done",
                ["response_id"] = r.Id,
                ["item_id"] = item.Id,
                ["output_index"] = index,
                ["call_id"] = item.CallId,
                ["name"] = item.Name,
                ["arguments"] = planned.Arguments,
            }).ConfigureAwait(false);
            await EndItemAsync(r, "completed").ConfigureAwait(false);
        }).ConfigureAwait(false);
    }
}
