using System.Diagnostics;
using Microsoft.Extensions.Logging;
using V2V.Realtime.Protocol;
using V2V.Realtime.Protocol.ClientEvents;
using V2V.Realtime.Protocol.ServerEvents;
using V2V.Voice.Configuration;
using V2V.Voice.Conversation;
using V2V.Voice.Diagnostics;
using V2V.Voice.Input;
using V2V.Voice.Outputs;
using V2V.Voice.Tools;
using V2V.Voice.Transcripts;
using V2V.Voice.Turns;

namespace V2V.Voice.Session;

/// <summary>
/// A server event of the live connection, on the actor, to the stage it concerns. Output of a response counts only
/// when the server announced the response (response.created) on this connection and it was not cancelled: late
/// deltas of a barge-in and deltas out of order are dropped. Its one state: which failed transcriptions were reported.
/// </summary>
internal sealed class ServerEventRouter(
    SessionContext context,
    SessionStatus status,
    SessionConfigurator configurator,
    TurnTracker turns,
    ResponseCoordinator responses,
    AgentVoice voice,
    SpokenTranscript transcript,
    BargeIn bargeIn,
    ToolCoordinator tools,
    ConversationHistory history,
    InputStage input,
    ToldUserSpeech toldSpeech,
    AnswerProgress answers,
    FirstAudioTimer firstAudio,
    McpActivity mcp,
    UserIdleWatch idle)
{
    private readonly Errors.FailedTranscription _failedTranscription = new();

    public async ValueTask HandleAsync(RealtimeServerEvent serverEvent, CancellationToken ct)
    {
        switch (serverEvent)
        {
            case ResponseOutputAudioDeltaEvent audio:
                using (audio)
                {
                    await voice.OnDeltaAsync(audio, ct).ConfigureAwait(false);
                }
                break;
            case ResponseOutputAudioTranscriptDeltaEvent delta when turns.IsLive(delta.ResponseId):
                WordsGiven(delta.ResponseId);
                await transcript.AddAsync(delta.ItemId, delta.Delta, ct).ConfigureAwait(false);
                break;
            case ResponseOutputTextDeltaEvent delta when turns.IsLive(delta.ResponseId):
                WordsGiven(delta.ResponseId);
                await transcript.AddAsync(delta.ItemId, delta.Delta, ct).ConfigureAwait(false);
                break;
            case ResponseOutputAudioTranscriptDoneEvent done when turns.IsLive(done.ResponseId):
                await transcript.CloseAsync(done.Transcript, interrupted: false, ct).ConfigureAwait(false);
                break;
            case ResponseOutputTextDoneEvent done when turns.IsLive(done.ResponseId):
                await transcript.CloseAsync(done.Text, interrupted: false, ct).ConfigureAwait(false);
                break;
            case ResponseOutputAudioDoneEvent done when turns.IsLive(done.ResponseId):
                turns.OnAudioDone(done.ItemId);
                await voice.FinishAsync(ct).ConfigureAwait(false);
                break;
            case InputAudioBufferSpeechStartedEvent started:
                turns.OnUserSpeechStarted();
                if (!toldSpeech.SpeechStarted(started.AudioStartMs))
                {
                    break; // a new connection hearing again the turn it was sent: told (and barged in on) already
                }
                await context.EmitAsync(new UserSpeechOutput(true, started.AudioStartMs), ct).ConfigureAwait(false);
                if (context.Options.TurnMode is TurnMode.ServerVad or TurnMode.SemanticVad)
                {
                    await bargeIn.RunForServerSpeechAsync(ct).ConfigureAwait(false);
                }
                break;
            case InputAudioBufferSpeechStoppedEvent stopped when toldSpeech.SpeechStopped(stopped.AudioEndMs, stopped.ItemId):
                await context.EmitAsync(new UserSpeechOutput(false, stopped.AudioEndMs), ct).ConfigureAwait(false);
                firstAudio.SpeechStopped(input.InputMs, stopped.AudioEndMs, Stopwatch.GetTimestamp());
                break;
            case InputAudioBufferTimeoutTriggeredEvent idle:
                // The service heard nothing for IdleTimeout after the last answer played; it commits the silence and
                // answers it as any turn of server VAD (the response is the service's, as after speech).
                context.Logger.LogInformation("The user said nothing for the idle timeout ({From}-{To} ms of the input): the service prompts them", idle.AudioStartMs, idle.AudioEndMs);
                await context.EmitAsync(new UserIdleOutput(idle.ItemId, idle.AudioStartMs, idle.AudioEndMs), ct).ConfigureAwait(false);
                break;
            case InputAudioBufferCommittedEvent committed when context.Options.EffectiveTranscriptionModel is not null && !toldSpeech.CommittedToldBefore(committed.ItemId):
                if (turns.OnUserAudioCommitted(committed.ItemId) is { } givenUp)
                {
                    await WordsNotComingAsync(givenUp, ct).ConfigureAwait(false); // no longer awaited: over the bound
                }
                history.KeepPlaceForUser(committed.ItemId);
                await context.EmitAsync(new UserTranscriptPendingOutput(committed.ItemId, Pending: true), ct).ConfigureAwait(false);
                break;
            case ConversationItemInputAudioTranscriptionCompletedEvent heardAgain when !toldSpeech.Transcribed(heardAgain.ItemId):
                await NotTranscribedAsync(heardAgain.ItemId, ct).ConfigureAwait(false);
                break;
            case ConversationItemInputAudioTranscriptionFailedEvent notHeardAgain when !toldSpeech.Transcribed(notHeardAgain.ItemId):
                await NotTranscribedAsync(notHeardAgain.ItemId, ct).ConfigureAwait(false);
                break;
            case ConversationItemInputAudioTranscriptionCompletedEvent wordless when string.IsNullOrWhiteSpace(wordless.Transcript):
                // No words (the silence an idle timeout commits, or noise the recognizer made nothing of): no empty line
                // for the host, none in the history a new connection is given.
                await NotTranscribedAsync(wordless.ItemId, ct).ConfigureAwait(false);
                break;
            case ConversationItemInputAudioTranscriptionCompletedEvent heard:
                turns.OnUserTranscribed(heard.ItemId);
                history.AddUser(heard.Transcript, heard.ItemId);
                await context.EmitAsync(new TranscriptOutput(TranscriptRole.User, heard.Transcript, true, true, false, heard.ItemId), ct).ConfigureAwait(false);
                break;
            case ConversationItemInputAudioTranscriptionFailedEvent failed:
                await NotTranscribedAsync(failed.ItemId, ct).ConfigureAwait(false);
                context.Logger.LogWarning("Input transcription of {Item} failed: {Error}", failed.ItemId, failed.Error);
                if (_failedTranscription.Report(failed, context.Options) is { } report)
                {
                    await context.EmitAsync(report, ct).ConfigureAwait(false);
                }
                break;
            case ResponseCreatedEvent created when created.Response.Id is { } createdId:
                if (!turns.OnResponseCreated(createdId))
                {
                    tools.OnResponseCreated(answers: false);
                    await context.SendAsync(new ResponseCancelEvent { ResponseId = createdId }, ct).ConfigureAwait(false);
                    context.Logger.LogInformation("{Response} answers what the user moved on from while it was being asked for: cancelled as it came", createdId);
                    break;
                }
                tools.OnResponseCreated();
                idle.Disarm(); // an answer begins: the silence counts again from its end
                responses.Created(createdId);
                answers.Taken(createdId);
                break;
            case ResponseOutputItemAddedEvent added when added.Item.Type == "function_call" && added.Item.CallId is { } callId:
                tools.OnCallAnnounced(callId, added.Item.Name);
                break;
            case ResponseFunctionCallArgumentsDoneEvent call when turns.IsLive(call.ResponseId):
                tools.Start(call.CallId, call.Name, call.Arguments);
                // The call answers what was asked (the round asks for the words after it): were the connection to end
                // now, the new one is given the call and its output, and is not asked again (the tool would run twice).
                turns.OnCallMade(call.ResponseId);
                answers.Listened(call.ResponseId);
                break;
            case ResponseMcpCallArgumentsDoneEvent call when turns.IsLive(call.ResponseId):
                // The service runs the call itself, now: were the connection to end, the new one is told of it (a note in
                // the history) and not asked again, or the tool would act twice.
                turns.OnCallMade(call.ResponseId);
                answers.Listened(call.ResponseId);
                await mcp.HandleAsync(call, ct).ConfigureAwait(false);
                break;
            case ResponseOutputItemDoneEvent { Item.Type: "mcp_approval_request" } asked when turns.IsLive(asked.ResponseId):
                answers.Listened(asked.ResponseId); // what the model wanted is asked of the host; the answer goes on from there
                await mcp.HandleAsync(asked, ct).ConfigureAwait(false);
                break;
            case McpListToolsInProgressEvent or McpListToolsCompletedEvent or McpListToolsFailedEvent
                or ConversationItemAddedEvent { Item.Type: "mcp_list_tools" } or ConversationItemDoneEvent { Item.Type: "mcp_list_tools" }
                or ResponseOutputItemAddedEvent { Item.Type: "mcp_call" } or ResponseOutputItemDoneEvent { Item.Type: "mcp_call" }:
                await mcp.HandleAsync(serverEvent, ct).ConfigureAwait(false);
                break;
            case ResponseDoneEvent done:
                await OnResponseDoneAsync(done, ct).ConfigureAwait(false);
                break;
            case SessionUpdatedEvent:
                configurator.Accepted();
                break;
            case ErrorEvent error:
                await OnErrorAsync(error, ct).ConfigureAwait(false);
                break;
            case MalformedServerEvent malformed:
                await context.EmitAsync(new ErrorOutput($"malformed message from the server: {malformed.Reason}", "malformed_event", Fatal: false), ct).ConfigureAwait(false);
                break;
            default:
                // Lifecycle acknowledgements (committed, item created, ...) and late deltas of cancelled responses need nothing.
                (serverEvent as IDisposable)?.Dispose();
                break;
        }
    }

    /// <summary>
    /// A user turn whose words will not be told: its transcription failed, or it is the turn a new connection heard again
    /// (its transcript was told on the old one, and its words are in the history). Its place goes.
    /// </summary>
    private ValueTask NotTranscribedAsync(string itemId, CancellationToken ct)
    {
        if (turns.OnUserTranscribed(itemId))
        {
            return WordsNotComingAsync(itemId, ct);
        }
        history.ForgetPlaceForUser(itemId);
        return ValueTask.CompletedTask; // never said to be pending
    }

    /// <summary>A user turn said to be pending will have no words: its place goes, and the host is told.</summary>
    private ValueTask WordsNotComingAsync(string itemId, CancellationToken ct)
    {
        history.ForgetPlaceForUser(itemId);
        return context.EmitAsync(new UserTranscriptPendingOutput(itemId, Pending: false), ct);
    }

    /// <summary>Without audio out the answer reaches the user as its words, given as they come: some of it was heard.</summary>
    private void WordsGiven(string? responseId)
    {
        if (!context.Options.AudioOut && responseId is not null)
        {
            responses.Heard(responseId);
        }
    }

    private async ValueTask OnResponseDoneAsync(ResponseDoneEvent done, CancellationToken ct)
    {
        var response = done.Response;
        if (response.Usage is { } usage)
        {
            context.Metrics.Tokens.Record(usage.InputTokens ?? 0, new KeyValuePair<string, object?>("gen_ai.token.type", "input"));
            context.Metrics.Tokens.Record(usage.OutputTokens ?? 0, new KeyValuePair<string, object?>("gen_ai.token.type", "output"));
        }
        if (response.Status != "cancelled" && response.Id is { } doneId)
        {
            // Either way the turn is over: a later connection must not answer it again (a cancelled one was judged by the
            // barge-in). Ended whole or cut short by the service, it plays on to its end through any connection's end: it
            // is heard, and the answer asked for is owed no more (told here too because all of its audio may have come
            // while another answer still played, before the listener took any of it: no delta told it then). Failed, the
            // host is told so, and a retry that can mend it asks for it again: the answer asked for stays owed until then.
            if (response.Status == "failed")
            {
                answers.Heard(doneId);
            }
            else
            {
                answers.Listened(doneId);
            }
        }
        if (turns.OnResponseDone(response.Id) && turns.TurnAudioMs > 0)
        {
            context.Metrics.TurnLength.Record(turns.TurnAudioMs / 1000.0);
        }
        foreach (var unheard in turns.TakeLateItems(response.Id))
        {
            // Cancelled, the answer went on a little (or was finished first): none of these items was heard.
            await context.SendAsync(new ConversationItemTruncateEvent { ItemId = unheard.ItemId, ContentIndex = unheard.ContentIndex, AudioEndMs = 0 }, ct).ConfigureAwait(false);
            context.Logger.LogInformation("{Item} of the cancelled answer {Response} came after the cancel, unheard: truncated at 0", unheard.ItemId, response.Id);
        }
        if (response.Status is "failed" or "incomplete" && transcript.IsOpen)
        {
            await transcript.CloseAsync(null, interrupted: true, ct).ConfigureAwait(false);
        }
        if (response.Status == "failed")
        {
            var failure = Errors.FailedResponse.Describe(response);
            if (failure.Fatal)
            {
                await status.FailAsync(failure.Message, ct, failure.Code).ConfigureAwait(false);
                return;
            }
            var retried = response.Id is { } failedId && responses.RetryFailed(failedId, failure.Code, failure.RetryAfter);
            context.Logger.LogWarning("A response failed ({Retry}): {Message}", retried ? "asked for again after a wait" : "not asked for again", failure.Message);
            await context.EmitAsync(failure with { WillRetry = retried }, ct).ConfigureAwait(false);
        }
        await responses.SendDeferredIfReadyAsync(ct).ConfigureAwait(false);
        await tools.AnswerIfReadyAsync(ct).ConfigureAwait(false);
        if (response.Status is "completed" or "incomplete")
        {
            idle.AnswerDone(); // (a cancelled one was cut by the user, a failed one told as an error)
        }
    }

    private async ValueTask OnErrorAsync(ErrorEvent error, CancellationToken ct)
    {
        if (configurator.IsRefusal(error))
        {
            // At the start, StartAsync throws it; later (a reconnect or renewal), the session cannot go on as configured.
            if (configurator.Confirmed)
            {
                await status.FailAsync(ConfigurationRefusal.Describe(error.Error), ct, error.Error.Code).ConfigureAwait(false);
            }
            return;
        }
        if (Connection.FailureClassifier.IsFatalCode(error.Error.Code))
        {
            await status.FailAsync($"the server ended the session: {error.Error}", ct, error.Error.Code).ConfigureAwait(false);
            return;
        }
        if (await responses.OnRefusedAsync(error, ct).ConfigureAwait(false))
        {
            return;
        }
        // Cancelling a response that has just ended is a race every barge-in can lose; it is harmless.
        if (error.Error.Code is "response_cancel_not_active")
        {
            context.Logger.LogDebug("Cancel arrived after the response ended");
            return;
        }
        await context.EmitAsync(new ErrorOutput(error.Error.ToString(), error.Error.Code, Fatal: false), ct).ConfigureAwait(false);
    }
}
