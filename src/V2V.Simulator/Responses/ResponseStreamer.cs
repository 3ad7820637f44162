using System.Text.Json.Nodes;
using V2V.Simulator.Audio;
using V2V.Simulator.Mcp;
using V2V.Simulator.Protocol;
using V2V.Simulator.Session;

namespace V2V.Simulator.Responses;

/// <summary>
/// Streams a planned response in the service's order: <c>response.created</c> (beta: with its rate limits), then
/// per output item <c>output_item.added</c>, the conversation's item event, <c>content_part.added</c>, the deltas,
/// the done events, <c>output_item.done</c>; then the end (remote MCP items as <see cref="McpCallSteps"/> streams
/// them). Audio goes out as the service generates it (<see cref="Pacer"/>, in deltas of the
/// <see cref="AudioChunkSchedule"/>), each transcript word with the delta in which its audio starts. It sends nothing: it yields steps, which the session takes under its gate while the
/// response is open, so a cancel or a barge-in between two steps ends the stream there. The waits (the audio's
/// pace, the first response's delay) come between steps, outside the gate, on <paramref name="clock"/>.
/// </summary>
internal sealed class ResponseStreamer(SessionConfig config, Conversation conversation, OutputItemEvents items, LocalRealtimeServerOptions options, TimeProvider clock, McpServers mcp)
{
    private readonly McpCallSteps _mcpSteps = new(items, mcp);

    private DialectProfile Profile => config.Profile;

    /// <summary>The steps of <paramref name="r"/>, from <c>response.created</c> to its end; waits are cancelled by the response's token.</summary>
    public async IAsyncEnumerable<ResponseStep> StepsAsync(ActiveResponse r)
    {
        if (!r.CreatedSent)
        {
            await Pacer.WaitAsync(r.StartDelay, clock, r.Token).ConfigureAwait(false);
            yield return new ResponseStep.Emit(() => Created(r));
        }
        if (r.FailWith is { } code)
        {
            yield return new ResponseStep.End(ResponseOutcome.Failed(code));
            yield break;
        }

        // The pace counts from here: the response's audio is generated from when it was created.
        var pacer = new Pacer(options, clock);
        var chunks = new AudioChunkSchedule(options.AudioChunkMs);
        var audioOffsetMs = 0;
        // An MCP call's answer is known once the call is done: it joins the plan then, as the items that follow the call.
        var plan = r.Plan.ToList();
        for (var index = 0; index < plan.Count; index++)
        {
            switch (plan[index])
            {
                case PlannedAudio audio:
                    await foreach (var step in AudioStepsAsync(r, index, audio, pacer, chunks, audioOffsetMs).ConfigureAwait(false))
                    {
                        yield return step;
                    }

                    audioOffsetMs += Pcm.Ms(audio.Audio.Length);
                    break;
                case PlannedText text:
                    foreach (var step in TextSteps(r, index, text))
                    {
                        yield return step;
                    }

                    break;
                case PlannedFunctionCall call:
                    foreach (var step in CallSteps(r, index, call))
                    {
                        yield return step;
                    }

                    break;
                case PlannedMcpApprovalRequest request:
                    foreach (var step in _mcpSteps.ApprovalRequestSteps(r, index, request))
                    {
                        yield return step;
                    }

                    break;
                case PlannedMcpCall mcpCall:
                    var item = McpCallSteps.NewCall(mcpCall);
                    await foreach (var step in _mcpSteps.CallStepsAsync(r, index, item, mcpCall.Arguments).ConfigureAwait(false))
                    {
                        yield return step;
                    }

                    // As the model does, it says what the tool gave in the same response.
                    plan.InsertRange(index + 1, AnswerSplitter.Split([EchoAgent.Say(McpCallSteps.Report(item), r.Modalities.Contains("audio"))], options.SplitAnswersLongerThanMs));
                    break;
            }
        }

        yield return new ResponseStep.End(ResponseOutcome.Completed());
    }

    /// <summary><c>response.created</c> of <paramref name="r"/> (beta: with its rate limits).</summary>
    public List<JsonObject> Created(ActiveResponse r)
    {
        List<JsonObject> events = [new JsonObject { ["type"] = "response.created", ["response"] = ResponseJson.Build(r, config, conversation.Id, "in_progress", null, null) }];
        if (!Profile.IsGa)
        {
            // The beta service reported its rate limits as a response began; GA does so once it is done.
            events.Add(RateLimits.Event());
        }

        return events;
    }

    private async IAsyncEnumerable<ResponseStep> AudioStepsAsync(ActiveResponse r, int index, PlannedAudio planned, Pacer pacer, AudioChunkSchedule chunks, int offsetMs)
    {
        var totalMs = Pcm.Ms(planned.Audio.Length);
        var item = new ConversationItem { Type = "message", Role = "assistant", Status = "in_progress" };
        // A sound with no words (a scripted tone without text) has no transcript deltas, not empty ones.
        string[] words = planned.Transcript.Length == 0 ? [] : planned.Transcript.Split(' ');
        var part = new ContentPart { Kind = ContentKind.OutputAudio, Audio = planned.Audio, AudioSamples = 0, Transcript = string.Empty, Words = words, ShortfallMs = options.ItemAudioShortfallMs };
        item.Content.Add(part);
        yield return new ResponseStep.Emit(() => items.Open(r, index, item, part, new JsonObject { ["type"] = "audio", ["transcript"] = string.Empty }));
        if (offsetMs == 0)
        {
            // Announced, its words still to come (a fault); the pace counts from creation, so what was held comes at once.
            await Pacer.WaitAsync(r.AudioDelay, TimeProvider.System, r.Token).ConfigureAwait(false);
        }

        var wordsSent = 0;
        for (var start = 0; start < planned.Audio.Length;)
        {
            var chunkStart = start;
            var end = Math.Min(planned.Audio.Length, chunkStart + chunks.NextSamples());
            start = end;
            await pacer.WaitUntilAudioAsync(offsetMs + Pcm.Ms(chunkStart), offsetMs + Pcm.Ms(end), r.Token).ConfigureAwait(false);
            yield return new ResponseStep.Emit(() =>
            {
                var chunk = planned.Audio.AsSpan(chunkStart, end - chunkStart);
                r.AudioSamplesSent += end - chunkStart;
                List<JsonObject> events = [OutputItemEvents.Delta(Profile.AudioDelta, r, index, item, Convert.ToBase64String(Pcm.Encode(chunk, config.OutputFormat)))];

                // The transcript is interleaved with the audio: a word goes out with the delta in which its audio starts.
                var due = ContentPart.WordsStartedBy(Pcm.Ms(end), words.Length, totalMs);
                string? delta = null;
                if (due > wordsSent)
                {
                    var text = string.Join(' ', words[wordsSent..due]);
                    delta = wordsSent == 0 ? text : " " + text;
                    wordsSent = due;
                    var transcriptDelta = OutputItemEvents.Delta(Profile.AudioTranscriptDelta, r, index, item, delta);
                    if (Profile.IsGa)
                    {
                        transcriptDelta["obfuscation"] = Obfuscation.For(delta); // as the GA service pads each one (recorded traffic)
                    }
                    events.Add(transcriptDelta);
                }

                part.Streamed(end, delta);
                return events;
            });
        }

        yield return new ResponseStep.Emit(() =>
        {
            part.Completed(planned.Transcript);
            conversation.Trim();
            return items.CloseOpen(r, "completed");
        });
    }

    private IEnumerable<ResponseStep> TextSteps(ActiveResponse r, int index, PlannedText planned)
    {
        var item = new ConversationItem { Type = "message", Role = "assistant", Status = "in_progress" };
        var part = new ContentPart { Kind = ContentKind.OutputText, Text = string.Empty };
        item.Content.Add(part);
        yield return new ResponseStep.Emit(() => items.Open(r, index, item, part, new JsonObject { ["type"] = "text", ["text"] = string.Empty }));

        var words = planned.Text.Split(' ');
        for (var i = 0; i < words.Length; i++)
        {
            var delta = i == 0 ? words[i] : " " + words[i];
            yield return new ResponseStep.Emit(() =>
            {
                part.Text += delta;
                return [OutputItemEvents.Delta(Profile.TextDelta, r, index, item, delta)];
            });
        }

        yield return new ResponseStep.Emit(() => items.CloseOpen(r, "completed"));
    }

    private IEnumerable<ResponseStep> CallSteps(ActiveResponse r, int index, PlannedFunctionCall planned)
    {
        var item = new ConversationItem { Type = "function_call", Status = "in_progress", CallId = EventIds.Call(), Name = planned.Name, Arguments = string.Empty };
        yield return new ResponseStep.Emit(() => items.Open(r, index, item, null, null));

        foreach (var delta in OutputItemEvents.ArgumentDeltas(planned.Arguments))
        {
            yield return new ResponseStep.Emit(() =>
            {
                item.Arguments += delta;
                return [new JsonObject
                {
                    ["type"] = "response.function_call_arguments.delta",
                    ["response_id"] = r.Id,
                    ["item_id"] = item.Id,
                    ["output_index"] = index,
                    ["call_id"] = item.CallId,
                    ["delta"] = delta,
                }];
            });
        }

        yield return new ResponseStep.Emit(() =>
        {
            item.Arguments = planned.Arguments;
            List<JsonObject> events =
            [
                new JsonObject
                {
                    ["type"] = "response.function_call_arguments.done",
                    ["response_id"] = r.Id,
                    ["item_id"] = item.Id,
                    ["output_index"] = index,
                    ["call_id"] = item.CallId,
                    ["name"] = item.Name,
                    ["arguments"] = planned.Arguments,
                },
            ];
            events.AddRange(items.CloseOpen(r, "completed"));
            return events;
        });
    }
}
