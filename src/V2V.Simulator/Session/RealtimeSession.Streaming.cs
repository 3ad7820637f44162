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
    private async Task StreamAsync(ActiveResponse r, TimeSpan delay)
    {
        try
        {
            await Pacer.WaitAsync(delay, r.Token).ConfigureAwait(false);
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
                await StepAsync(r, () => FinishResponseAsync(r, "failed", ResponseFailure.StatusDetails(code))).ConfigureAwait(false);
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

            await StepAsync(r, () => FinishResponseAsync(r, "completed", null)).ConfigureAwait(false);
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

    /// <summary>
    /// Opens an output item in the service's order: <c>response.output_item.added</c>, then the conversation's
    /// event (GA <c>conversation.item.added</c>, beta <c>conversation.item.created</c>), then the content part.
    /// </summary>
    private async Task<bool> BeginItemAsync(ActiveResponse r, int index, ConversationItem item, ContentPart? part, JsonObject? partJson)
    {
        return await StepAsync(r, async () =>
        {
            r.Output.Add(item);
            r.OpenItem = item;
            r.OpenIndex = index;
            r.OpenPart = part;
            await SendAsync(new JsonObject { ["type"] = "response.output_item.added", ["response_id"] = r.Id, ["output_index"] = index, ["item"] = item.ToJson(Profile) }).ConfigureAwait(false);
            if (!r.OutOfBand)
            {
                var previous = _conversation.Insert(item, null);
                await SendAsync(new JsonObject { ["type"] = Profile.ItemAddedEvent, ["previous_item_id"] = previous, ["item"] = item.ToJson(Profile) }).ConfigureAwait(false);
            }

            if (partJson is not null)
            {
                await SendAsync(Part("response.content_part.added", r, index, item, partJson)).ConfigureAwait(false);
            }
        }).ConfigureAwait(false);
    }

    /// <summary>Closes the open item: its part's done events when it has one, then the item's (caller holds the gate).</summary>
    private async Task EndItemAsync(ActiveResponse r, string status)
    {
        if (r.OpenItem is not { } item)
        {
            return;
        }

        var index = r.OpenIndex;
        switch (r.OpenPart)
        {
            case { Kind: ContentKind.OutputAudio } audio:
                await SendAsync(Ids(new JsonObject { ["type"] = Profile.AudioDone }, r, index, item)).ConfigureAwait(false);
                await SendAsync(Ids(new JsonObject { ["type"] = Profile.AudioTranscriptDone, ["transcript"] = audio.Transcript }, r, index, item)).ConfigureAwait(false);
                await SendAsync(Part("response.content_part.done", r, index, item, new JsonObject { ["type"] = "audio", ["transcript"] = audio.Transcript })).ConfigureAwait(false);
                break;
            case { } text:
                await SendAsync(Ids(new JsonObject { ["type"] = Profile.TextDone, ["text"] = text.Text }, r, index, item)).ConfigureAwait(false);
                await SendAsync(Part("response.content_part.done", r, index, item, new JsonObject { ["type"] = "text", ["text"] = text.Text })).ConfigureAwait(false);
                break;
        }

        r.OpenItem = null;
        r.OpenPart = null;
        item.Status = status;
        await SendAsync(new JsonObject { ["type"] = "response.output_item.done", ["response_id"] = r.Id, ["output_index"] = index, ["item"] = item.ToJson(Profile) }).ConfigureAwait(false);
        if (!r.OutOfBand && Profile.SendsItemDone)
        {
            var previous = _conversation.IndexOf(item.Id) is > 0 and var at ? _conversation.Items[at - 1].Id : null;
            await SendAsync(new JsonObject { ["type"] = "conversation.item.done", ["previous_item_id"] = previous, ["item"] = item.ToJson(Profile) }).ConfigureAwait(false);
        }
    }

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
                _assistantAudioSent = true;
                await SendAsync(Delta(Profile.AudioDelta, r, index, item, Convert.ToBase64String(Pcm.Encode(chunk, _config.OutputFormat)))).ConfigureAwait(false);

                // The transcript is interleaved with the audio: a word goes out with the delta in which its audio starts.
                var due = ContentPart.WordsStartedBy(Pcm.Ms(end), words.Length, totalMs);
                if (due > wordsSent)
                {
                    var text = string.Join(' ', words[wordsSent..due]);
                    var delta = wordsSent == 0 ? text : " " + text;
                    part.Transcript += delta;
                    wordsSent = due;
                    await SendAsync(Delta(Profile.AudioTranscriptDelta, r, index, item, delta)).ConfigureAwait(false);
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
                return SendAsync(Delta(Profile.TextDelta, r, index, item, delta));
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

    private static JsonObject Ids(JsonObject evt, ActiveResponse r, int index, ConversationItem item)
    {
        evt["response_id"] = r.Id;
        evt["item_id"] = item.Id;
        evt["output_index"] = index;
        evt["content_index"] = 0;
        return evt;
    }

    private static JsonObject Delta(string type, ActiveResponse r, int index, ConversationItem item, string delta)
    {
        var evt = Ids(new JsonObject { ["type"] = type }, r, index, item);
        evt["delta"] = delta;
        return evt;
    }

    private static JsonObject Part(string type, ActiveResponse r, int index, ConversationItem item, JsonObject part)
    {
        var evt = Ids(new JsonObject { ["type"] = type }, r, index, item);
        evt["part"] = part;
        return evt;
    }
}
