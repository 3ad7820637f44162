using Microsoft.Extensions.Logging;
using V2V.Realtime.Protocol.ClientEvents;
using V2V.Realtime.Protocol.Models;
using V2V.Realtime.Protocol.ServerEvents;
using V2V.Voice.Actor;
using V2V.Voice.Configuration;
using V2V.Voice.Outputs;
using V2V.Voice.Session;

namespace V2V.Voice.Turns;

/// <summary>
/// Asking for responses, as the service lets us: a <c>response.create</c> while it still holds a response (cancelled,
/// its <c>response.done</c> not yet come), or while a create of ours is on its way to it, would be refused and lost, so
/// it waits for that response's end (bounded by <see cref="CancelledResponseDoneWait"/>, and by
/// <see cref="CreatedWait"/> for a create the service does not take up); one refused for an active response is asked
/// again, once. A later request supersedes a waiting one (one answer, to the latest input). An answer asked for and lost
/// with its connection before a word of it was heard is owed, and asked for on the next one; one that failed at the
/// service for a reason a retry can mend is asked for again after a wait (<see cref="FailedAnswerRetry"/>). Owns the
/// waiting request, the last create sent, the answer asked for (and whether the listener began to hear it), and the answer
/// owed.
/// </summary>
/// <param name="context">The session's options, logger, outputs and way to send.</param>
/// <param name="turns">What the service is answering: whether it would take a create now.</param>
/// <param name="inbox">Where the waits' ends are posted.</param>
/// <param name="link">The connection, to tell whether a create can go now; null (tests of this alone): always.</param>
internal sealed class ResponseCoordinator(SessionContext context, TurnTracker turns, SessionInbox inbox, ServerLink? link = null)
{
    /// <summary>How long a new response waits for the <c>response.done</c> of a cancelled one before it is asked for anyway.</summary>
    public static readonly TimeSpan CancelledResponseDoneWait = TimeSpan.FromSeconds(3);

    /// <summary>
    /// How long a new response waits for the <c>response.created</c> of the create before it, before it is asked for
    /// anyway. The service answers a create at once, even when busy (the answer's audio is what takes time): a create
    /// not taken up in this long is lost, and a wait shorter than a slow moment of the service would send the next create
    /// behind one that still comes.
    /// </summary>
    public static readonly TimeSpan CreatedWait = TimeSpan.FromSeconds(10);

    public const string ActiveResponseCode = "conversation_already_has_active_response";

    private readonly ClientEventIds _eventIds = new();

    // A response asked for while the service still held one (a cancel not yet done, or a create it refused): sent once that one is done.
    private ResponseAsk? _deferred;

    // The last response.create sent, by event id: the service's refusal names it. With the conversation's version then.
    private (string EventId, ResponseAsk Ask, int UserMoves, int Version)? _lastCreate;

    // Counts what this side added to the conversation (a text, a tool's output, a note, the user's audio committed): a
    // request made while a create is on its way, with nothing added since, is answered by that create.
    private int _conversationVersion;

    // Times the user moved on: a create refused after that is not asked again (it answered what the user left behind).
    private int _userMoves;

    // The last answer this side asked for (a typed text's, a tool round's, the greeting), until a newer one is asked for
    // or the user moves on, marked once the listener began to hear it; and one lost with its connection before a word of
    // it was heard, owed on the next connection.
    private AskedAnswer? _asked;
    private AskedAnswer? _lost;

    private readonly FailedAnswerRetry _failedRetry = new();

    /// <summary>
    /// The answer <paramref name="responseId"/> failed at the service (<paramref name="code"/>; a rate limit's
    /// <paramref name="retryAfter"/>): one a retry can mend is asked for again after the wait (<see cref="FailedAnswerRetry"/>),
    /// with what was asked the first time when this side asked for it, unless the user moves on meanwhile. True when it will be.
    /// </summary>
    public bool RetryFailed(string responseId, string? code, TimeSpan? retryAfter)
    {
        if (_failedRetry.WaitBeforeRetry(code, retryAfter, _userMoves) is not { } wait)
        {
            return false;
        }
        var ask = _asked is { Heard: false } asked && asked.ResponseId == responseId ? asked.Ask : new ResponseAsk(null);
        var moves = _userMoves;
        inbox.PostAfter(wait, context.Options.TimeProvider, ct => RetryFailedAsync(ask, moves, ct), "failed answer asked again");
        return true;
    }

    private async ValueTask RetryFailedAsync(ResponseAsk ask, int moves, CancellationToken ct)
    {
        if (moves != _userMoves)
        {
            return; // the user spoke, typed or left meanwhile: what they do next is answered instead
        }
        context.Logger.LogInformation("An answer that failed at the service is asked for again");
        await RequestAsync(ask.Params, ct, ask.Note).ConfigureAwait(false);
    }

    /// <summary>
    /// This side added to the conversation (a text, a tool's output, a note, the user's audio committed): a create on its
    /// way does not have it, and a request from now on is not answered by that create.
    /// </summary>
    public void ConversationGrew() => _conversationVersion++;

    /// <summary>
    /// Asks the service for a response (<paramref name="response"/> null: the session's parameters), now or once it can
    /// take one. Nothing when a create of ours is on its way and nothing was added to the conversation since (a new
    /// connection owing an answer and a tool round at once): that create's answer is this one, and a second would have
    /// the model answer twice.
    /// </summary>
    /// <param name="response">The response's parameters (null: the session's).</param>
    /// <param name="ct">Cancels the sends.</param>
    /// <param name="note">
    /// A note the caller added to the conversation for this answer (a continuation's): should the answer be lost with its
    /// connection before a word of it is heard, the next connection is given the note again before it is asked.
    /// </param>
    public async ValueTask RequestAsync(RealtimeResponseCreateParams? response, CancellationToken ct, string? note = null)
    {
        if (turns.ResponseRequested && _lastCreate is { } onItsWay && onItsWay.Version == _conversationVersion && onItsWay.UserMoves == _userMoves
            && onItsWay.Ask.Params == response)
        {
            context.Logger.LogDebug("A response asked for again with nothing new since {EventId}, which is on its way: that one answers it", onItsWay.EventId);
            return;
        }
        _asked = null; // superseded: the latest request is the answer owed
        var ask = new ResponseAsk(response, Note: note);
        if (turns.CanCreateResponse)
        {
            await SendCreateAsync(ask, ct).ConfigureAwait(false);
            return;
        }
        var first = _deferred is null;
        _deferred = ask;
        if (first && turns.AwaitingDoneOf is { } awaited)
        {
            inbox.PostAfter(CancelledResponseDoneWait, TimeProvider.System, innerCt => GiveUpWaitingForDoneAsync(awaited, innerCt), "cancelled response not done in time");
        }
        else if (first && turns.ResponseRequested && _lastCreate is { EventId: var pending })
        {
            inbox.PostAfter(CreatedWait, context.Options.TimeProvider, innerCt => GiveUpWaitingForCreatedAsync(pending, innerCt), "response.created not come in time");
        }
    }

    /// <summary>
    /// Adds <paramref name="note"/> to the conversation and asks for the answer it is for (a continuation's): should that
    /// answer be lost with its connection before a word of it is heard, the next connection is given the note again.
    /// </summary>
    public async ValueTask RequestWithNoteAsync(string note, RealtimeResponseCreateParams? response, CancellationToken ct)
    {
        await context.SendAsync(new ConversationItemCreateEvent { Item = RealtimeConversationItem.SystemText(note) }, ct).ConfigureAwait(false);
        ConversationGrew();
        await RequestAsync(response, ct, note).ConfigureAwait(false);
    }

    /// <summary>Sends the waiting request once the service can take it (after a response.done or on a new connection).</summary>
    public async ValueTask SendDeferredIfReadyAsync(CancellationToken ct)
    {
        if (_deferred is { } ask && turns.CanCreateResponse)
        {
            _deferred = null;
            await SendCreateAsync(ask, ct).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Our last create refused because the service still has a response active (one this side did not know of, or a
    /// cancelled one it held longer than <see cref="CancelledResponseDoneWait"/>): it is asked for again, once, after
    /// the next <c>response.done</c>, unless a later request supersedes it. A retry refused again is reported, never
    /// dropped silently. False when <paramref name="error"/> is no such refusal. An error naming no event (the service does
    /// not always say which event it refuses) is ours when it has this code and a create of ours is unanswered: only a
    /// create is refused so, and this side sends every create.
    /// </summary>
    public async ValueTask<bool> OnRefusedAsync(ErrorEvent error, CancellationToken ct)
    {
        if (error.Error.Code != ActiveResponseCode && _lastCreate is { } refused && error.Error.EventId == refused.EventId)
        {
            // Refused for a reason of its own (the error is the caller's to report): no response comes of it, so
            // what waits behind it goes now.
            _lastCreate = null;
            turns.OnResponseRequestFailed();
            await SendDeferredIfReadyAsync(ct).ConfigureAwait(false);
            return false;
        }
        if (error.Error.Code != ActiveResponseCode || _lastCreate is not { } last || (error.Error.EventId is { } named && named != last.EventId))
        {
            return false;
        }
        _lastCreate = null;
        turns.OnCreateRefusedForActiveResponse();
        if (last.UserMoves != _userMoves)
        {
            // The active response is most likely the service's own answer to the user's speech (the speech that moved on).
            context.Logger.LogDebug("A response was refused while another was active, and the user has moved on since it was asked for: not asked again");
            return true;
        }
        if (last.Ask.IsRetry)
        {
            context.Logger.LogWarning("A response was refused twice for an active response: {Error}", error.Error);
            await context.EmitAsync(new ErrorOutput(
                $"The service refused a response twice because another response was still active; no answer was asked for this turn ({error.Error}).",
                ActiveResponseCode, Fatal: false), ct).ConfigureAwait(false);
            return true;
        }
        context.Logger.LogDebug("A response was refused while another was active: asking again after its response.done");
        _deferred ??= last.Ask with { IsRetry = true };
        return true;
    }

    /// <summary>The service created <paramref name="responseId"/>: the answer asked for last, when it is not created yet.</summary>
    public void Created(string responseId)
    {
        if (_asked is { ResponseId: null } asked)
        {
            asked.ResponseId = responseId;
        }
    }

    /// <summary>The listener heard some of <paramref name="responseId"/> (its audio taken, or its words given).</summary>
    public void Heard(string responseId)
    {
        if (_asked is { } asked && asked.ResponseId == responseId)
        {
            asked.Heard = true;
        }
    }

    /// <summary>
    /// The session's own cut (a connection ending, a renewal) found that no word of <paramref name="responseId"/> was
    /// heard after all: its first audio was taken (<see cref="Heard"/>), a breath of a syllable, and then it was cut. It
    /// answered nothing: it is the answer asked for again, owed should its connection end.
    /// </summary>
    public void NotHeard(string responseId)
    {
        if (_asked is { } asked && asked.ResponseId == responseId)
        {
            asked.Heard = false;
        }
    }

    /// <summary>
    /// The user spoke over the agent, typed, left or was interrupted for: an answer asked for before is owed no more, nor
    /// is one waiting to be asked (the service answers the speech itself; a caller that wants an answer to the text asks
    /// for it next), nor is one refused from now on asked again.
    /// </summary>
    public void UserMovedOn()
    {
        _asked = null;
        _deferred = null;
        _userMoves++;
    }

    /// <summary>
    /// The connection ends (lost, or replaced by a renewal), after the barge-in that cut what it was saying: the answer
    /// asked for last, not yet created or not yet heard, answered nothing, and nothing else would make the next
    /// connection answer it (a typed question is in the history replayed, not asked). It is owed there. When nothing was
    /// asked of it, an answer it was owed and had not been asked yet (it ended as it went live) is owed to the next.
    /// </summary>
    public void ConnectionEnding()
    {
        if (_asked is { Heard: false })
        {
            _lost = _asked;
        }
    }

    /// <summary>
    /// A connection went live: what was asked of the old one is over. When the user's words were sent to it (their
    /// unanswered turn again, or speech kept while there was no connection), it answers them (the later question): the
    /// answer owed is not asked for besides.
    /// </summary>
    public void NewConnection(bool userSpoke)
    {
        _asked = null;
        if (userSpoke)
        {
            _lost = null;
        }
    }

    /// <summary>A renewal that failed: the old connection goes on, holding whatever was asked of it; nothing is owed.</summary>
    public void KeptTheOldConnection() => _lost = null;

    /// <summary>An answer asked for was lost with its connection before a word of it was heard: the next connection is asked for it.</summary>
    public bool OwesAnAnswer => _lost is not null;

    /// <summary>The answer owed is <paramref name="responseId"/>'s, cut before a word was heard.</summary>
    public bool Owes(string responseId) => _lost is { } owed && owed.ResponseId == responseId;

    /// <summary>On the new connection (or the old one, kept after a failed renewal): the answer owed, asked for again.</summary>
    public async ValueTask AskAgainIfOwedAsync(CancellationToken ct)
    {
        if (_lost is not { } owed)
        {
            return;
        }
        _lost = null;
        context.Logger.LogInformation("An answer asked for was lost with its connection before a word of it was heard: asked for again");
        if (owed.Ask.Note is { } note)
        {
            // The note went with the old connection's conversation (the history replayed holds the words heard, not notes).
            await RequestWithNoteAsync(note, owed.Ask.Params, ct).ConfigureAwait(false);
            return;
        }
        await RequestAsync(owed.Ask.Params, ct).ConfigureAwait(false);
    }

    private async ValueTask SendCreateAsync(ResponseAsk ask, CancellationToken ct)
    {
        if (link is { IsOpen: false })
        {
            // No connection to ask (a question typed while it is down): owed to the next one, which has it in its history.
            context.Logger.LogInformation("An answer asked for while disconnected: asked for on the next connection");
            _asked = null;
            _lost = new AskedAnswer(ask);
            return;
        }
        var create = new ResponseCreateEvent { Response = ask.Params, EventId = _eventIds.Next("response") };
        _lastCreate = (create.EventId!, ask, _userMoves, _conversationVersion);
        _asked = new AskedAnswer(ask);
        await context.SendAsync(create, ct).ConfigureAwait(false);
        turns.OnResponseRequested();
    }

    private async ValueTask GiveUpWaitingForDoneAsync(string awaited, CancellationToken ct)
    {
        if (turns.AwaitingDoneOf != awaited)
        {
            return;
        }
        context.Logger.LogWarning("The cancelled response {Response} was not done within {Wait}: asking for the next one anyway", awaited, CancelledResponseDoneWait);
        turns.StopAwaitingDone();
        await SendDeferredIfReadyAsync(ct).ConfigureAwait(false);
    }

    private async ValueTask GiveUpWaitingForCreatedAsync(string eventId, CancellationToken ct)
    {
        if (!turns.ResponseRequested || _lastCreate?.EventId != eventId)
        {
            return;
        }
        context.Logger.LogWarning("The service did not take up {EventId} (no response.created within {Wait}): asking for the next response anyway", eventId, CreatedWait);
        turns.OnResponseRequestFailed();
        await SendDeferredIfReadyAsync(ct).ConfigureAwait(false);
    }

    /// <summary>
    /// A response asked for: its parameters (null: the session's), whether it was refused once already, and the note added
    /// to the conversation for it, if any (given again to a new connection that is asked for it).
    /// </summary>
    private sealed record ResponseAsk(RealtimeResponseCreateParams? Params, bool IsRetry = false, string? Note = null);

    /// <summary>An answer asked for, and the response that is it once the service created it.</summary>
    private sealed class AskedAnswer(ResponseAsk ask)
    {
        public ResponseAsk Ask { get; } = ask;

        public string? ResponseId { get; set; }

        /// <summary>The listener began to hear it (its first audio taken, or its words given): not owed should its connection end.</summary>
        public bool Heard { get; set; }
    }
}
