using Microsoft.Extensions.Logging;
using V2V.Realtime.Client;
using V2V.Realtime.Protocol.ClientEvents;
using V2V.Realtime.Protocol.Models;
using V2V.Voice.Diagnostics;
using V2V.Voice.Input;
using V2V.Voice.Session;
using V2V.Voice.Tools;
using V2V.Voice.Turns;

namespace V2V.Voice.Conversation;

/// <summary>
/// What the user and the host do to the conversation: a greeting once per user (deferred while disconnected), a text
/// from the user, the user leaving, a turn ended on this side; and, on a new connection, the conversation so far
/// replayed with a re-anchor. Owns whether the user was greeted.
/// </summary>
internal sealed class ConversationFlow(
    SessionContext context,
    ServerLink link,
    ConversationHistory history,
    TurnTracker turns,
    ResponseCoordinator responses,
    ToolCoordinator tools,
    BargeIn bargeIn,
    FirstAudioTimer firstAudio,
    AnswerContinuation continuation,
    UncommittedInput uncommitted,
    Func<string?> sessionInstructions)
{
    private const string ReanchorText =
        "The connection to the conversation was re-established. The messages above are the conversation so far; " +
        "continue it naturally from where it left off, without greeting the user again.";

    private bool _greetingPending;
    private bool _greeted;
    private bool _commitOwed; // a turn ended on this side while there was no connection
    private bool _answerOwed; // a turn ended on this side, committed again on a new connection: to be answered there

    /// <summary>What the greeting's answer is asked to do (after the session's instructions).</summary>
    public static string GreetingAsk(string greeting) => $"Greet the user by saying exactly this, and nothing else: \"{greeting}\"";

    /// <summary>Speaks the greeting once per user; deferred while not connected.</summary>
    public async ValueTask GreetAsync(CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(context.Options.Greeting) || _greeted)
        {
            _greetingPending = false;
            return;
        }
        if (!link.IsOpen)
        {
            _greetingPending = true;
            return;
        }
        _greetingPending = false;
        _greeted = true;
        await responses.RequestAsync(new RealtimeResponseCreateParams
        {
            Instructions = ResponseInstructions.AfterSession(sessionInstructions(), GreetingAsk(context.Options.Greeting)),
        }, ct).ConfigureAwait(false);
    }

    public async ValueTask ForgetUserAsync(CancellationToken ct)
    {
        turns.OnUserTurnDropped(); // what they were saying is cleared with the input: no answer to it will come
        _commitOwed = false;
        _answerOwed = false;
        await bargeIn.RunAsync("the user left", ct).ConfigureAwait(false);
        await context.SendAsync(new InputAudioBufferClearEvent(), ct).ConfigureAwait(false);
        uncommitted.Cleared(); // a next turn under 100 ms is not committed (the service would refuse it)
        link.Connection.Slot.UserLeft(); // their unanswered turn is not sent to a new connection: no one would hear its answer
        _greeted = false;
    }

    public async ValueTask SendUserTextAsync(string text, CancellationToken ct)
    {
        await bargeIn.RunAsync("the user sent text", ct).ConfigureAwait(false);
        history.AddUser(text);
        await context.SendAsync(new ConversationItemCreateEvent { Item = RealtimeConversationItem.UserText(text) }, ct).ConfigureAwait(false);
        responses.ConversationGrew();
        await responses.RequestAsync(null, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// The user shows an image (<see cref="UserImage"/>): it joins the conversation, seen with what they say next; with
    /// <paramref name="askForAnswer"/>, as a text does, it interrupts the agent and is answered at once.
    /// </summary>
    public async ValueTask SendUserImageAsync(RealtimeConversationItem message, bool askForAnswer, CancellationToken ct)
    {
        if (askForAnswer)
        {
            await bargeIn.RunAsync("the user sent an image", ct).ConfigureAwait(false);
        }
        history.AddUserImage(message);
        await context.SendAsync(new ConversationItemCreateEvent { Item = message }, ct).ConfigureAwait(false);
        responses.ConversationGrew();
        if (askForAnswer)
        {
            await responses.RequestAsync(null, ct).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The local VAD heard the user begin to speak: what plays is cut, and their turn is open until it is answered, so that
    /// a tool round whose outputs come meanwhile is not answered over them (the answer to their turn carries the outputs).
    /// </summary>
    public ValueTask UserBeganSpeakingAsync(string reason, CancellationToken ct)
    {
        turns.OnUserSpeechStarted();
        return bargeIn.RunAsync(reason, ct);
    }

    /// <summary>
    /// The local VAD heard the user stop after too little to commit: their turn closes unanswered, and a tool round held
    /// back for it is answered now.
    /// </summary>
    public ValueTask UserTurnDroppedAsync(CancellationToken ct)
    {
        turns.OnUserTurnDropped();
        return tools.AnswerIfReadyAsync(ct);
    }

    /// <summary>After a turn ended on this side (manual or local VAD): the model is asked to answer.</summary>
    public async ValueTask AnswerTurnAsync(long endOfSpeech, CancellationToken ct)
    {
        _answerOwed = false; // the response asked for answers all the input committed
        responses.ConversationGrew(); // the turn's audio, committed
        firstAudio.TurnEnded(endOfSpeech);
        if (turns.ActiveResponseId is not null)
        {
            // The user spoke over an answer that the barge-in did not stop (it was just starting): replace it.
            await bargeIn.RunAsync("a new turn ended", ct).ConfigureAwait(false);
        }
        await responses.RequestAsync(null, ct).ConfigureAwait(false);
    }

    /// <summary>A new connection, before it goes live: the conversation so far, then a note that it is resumed. Returns the items replayed.</summary>
    public async Task<IReadOnlyList<RealtimeConversationItem>> ReplayAsync(IRealtimeConnection client, CancellationToken ct)
    {
        var items = history.Items;
        if (items.Count == 0)
        {
            return items;
        }
        foreach (var item in items)
        {
            await client.SendAsync(new ConversationItemCreateEvent { Item = item }, ct).ConfigureAwait(false);
        }
        await client.SendAsync(new ConversationItemCreateEvent { Item = RealtimeConversationItem.SystemText(ReanchorText) }, ct).ConfigureAwait(false);
        return items;
    }

    /// <summary>
    /// A new connection went live: the old one's transcriptions still owed will not come. <paramref name="turnCommittedAgain"/>:
    /// it was sent a turn ended on this side that the old one had committed and not answered in the user's hearing, and
    /// committed it: it is asked to answer it once the session's work resumes.
    /// </summary>
    public void NewConnectionLive(bool turnCommittedAgain)
    {
        history.ForgetPlacesForUser();
        if (turnCommittedAgain)
        {
            // Committed before anything else on it: a create owed to it (a deferred one, an answer lost) answers the turn too.
            responses.ConversationGrew();
            _answerOwed = true;
        }
    }

    /// <summary>
    /// After a reconnect or renewal, on the actor: a greeting asked for while disconnected is spoken, a response asked
    /// for while the old connection still held a cancelled one is asked for now, so is an answer the old connection's
    /// end cut before a word of it was heard, and an answer cut short by it and heard to its last word received is
    /// continued; a tool round whose outputs are in is answered; a turn ended on this side while there was no
    /// connection is committed and answered.
    /// </summary>
    public async ValueTask ResumeAsync(CancellationToken ct)
    {
        if (_greetingPending)
        {
            await GreetAsync(ct).ConfigureAwait(false);
        }
        await responses.SendDeferredIfReadyAsync(ct).ConfigureAwait(false);
        await responses.AskAgainIfOwedAsync(ct).ConfigureAwait(false);
        await continuation.AskIfOwedAsync(ct).ConfigureAwait(false);
        await tools.AnswerIfReadyAsync(ct).ConfigureAwait(false);
        if (_commitOwed)
        {
            await CommitTurnWhenLiveAsync(ct).ConfigureAwait(false);
        }
        if (_answerOwed && link.IsOpen)
        {
            _answerOwed = false;
            context.Logger.LogInformation("The user's turn, committed on the connection that ended before its answer was heard, was committed again: it is answered");
            firstAudio.TurnEnded(System.Diagnostics.Stopwatch.GetTimestamp());
            await responses.RequestAsync(null, ct).ConfigureAwait(false); // nothing, when a create sent on resuming answers it
        }
    }

    /// <summary>
    /// A turn ended on this side (local VAD, manual) while there was no connection: the next one is sent the turn (all
    /// since the last commit) before it goes live; once it is live, the turn is committed there and answered. Taken
    /// before the connection's loss (the actor had not yet heard of it), it waits for <see cref="ResumeAsync"/>.
    /// </summary>
    public async ValueTask CommitTurnWhenLiveAsync(CancellationToken ct)
    {
        if (link.Live is not { IsOpen: true } client)
        {
            _commitOwed = true;
            return;
        }
        _commitOwed = false;
        try
        {
            if (!await uncommitted.CommitAsync(client, ct).ConfigureAwait(false))
            {
                return; // committed already, with the turn before it (or the user left and the input was cleared)
            }
        }
        catch (RealtimeException)
        {
            // The connection broke under the commit: the next one is sent the turn again, and commits it.
            context.Logger.LogDebug("The connection ended as the user's turn was committed: it is committed on the next one");
            _commitOwed = true;
            return;
        }
        link.Connection.Slot.Committed();
        // Timed from now: the wait for a connection is not the model's.
        await AnswerTurnAsync(System.Diagnostics.Stopwatch.GetTimestamp(), ct).ConfigureAwait(false);
    }
}
