using Microsoft.Extensions.Logging;
using V2V.Realtime.Protocol.ClientEvents;
using V2V.Voice.Diagnostics;
using V2V.Voice.Outputs;
using V2V.Voice.Playback;
using V2V.Voice.Transcripts;
using V2V.Voice.Turns;

namespace V2V.Voice.Session;

/// <summary>
/// Barge-in, in DESIGN.md's order: stop and drop the queued voice (and the words queued with it) and say flush at
/// once; then what the turn tracker decides from what was heard: cancel the response in progress, truncate each item
/// not heard to its end; close the transcript as interrupted at what was heard. Holds no state of its own. An answer
/// cut after some of it was heard is told to <c>answers</c> (null in tests of the voice alone, with no connection).
/// </summary>
internal sealed class BargeIn(SessionContext context, TurnTracker turns, AgentVoice voice, SpokenTranscript transcript, FirstAudioTimer firstAudio, AnswerProgress? answers = null, ResponseCoordinator? responses = null, AnswerContinuation? continuation = null, Turns.UserIdleWatch? idle = null)
{
    /// <summary>The agent is answering, or its answer is still being played: there is something to interrupt.</summary>
    public bool AgentSpeaking => turns.ActiveResponseId is not null || voice.Unplayed || transcript.IsOpen;

    /// <summary>
    /// Nothing of the agent's answer is still to come from the connection: no response in progress, its words all here.
    /// What is left is playing what came, which needs no connection: a connection's end does not cut it.
    /// </summary>
    public bool NothingMoreToCome => turns.ActiveResponseId is null && !transcript.IsOpen;

    /// <summary>
    /// A connection ends (lost, or renewed): an answer with <see cref="NothingMoreToCome"/> plays on to its end (it
    /// answered: it is heard, and not asked for again on the next connection). One still coming whose audio received is
    /// still playing plays on too, cut short where that audio ends, and the next connection continues it
    /// (<see cref="AnswerContinuation"/>); any other is cut, as by <see cref="CutAsync"/>, whose result this returns (null
    /// when nothing was cut). Then an answer this side asked for and not heard is owed on the next connection.
    /// </summary>
    public async ValueTask<string?> ConnectionEndingAsync(string reason, CancellationToken ct)
    {
        string? unheard = null;
        if (!NothingMoreToCome && !await PlayOnCutShortAsync(reason, ct).ConfigureAwait(false))
        {
            unheard = await CutAsync(reason, ct).ConfigureAwait(false);
        }
        else if (voice.Unplayed && turns.LastResponseWithAudio is { } playing)
        {
            answers?.Listened(playing);
        }
        responses?.ConnectionEnding();
        return unheard;
    }

    /// <summary>
    /// The answer in progress plays on what of it came when its audio is what is playing: when its words are still open,
    /// they close at what that audio holds and the next connection continues it; when they all came (its audio too: the
    /// service ends an item's audio before its words), it plays on whole, as its end was most likely all that was missing
    /// (a later item of the same response, were one still to come, is not asked for). False when none of it is playing
    /// (paced output only: unpaced, the reader has it all already).
    /// </summary>
    private async ValueTask<bool> PlayOnCutShortAsync(string reason, CancellationToken ct)
    {
        if (continuation is null || !context.Options.AudioOut || !voice.IsPaced || !voice.Unplayed
            || turns.ActiveResponseId is not { } active || turns.LastResponseWithAudio != active)
        {
            return false;
        }
        SpokenTurn? cutShort = null;
        if (transcript.IsOpen && (cutShort = transcript.CloseCutShort(turns.ReceivedMs)) is null)
        {
            return false;
        }
        if (cutShort is null && turns.LastItemWithAudio is { } last && turns.WholeMs(last) is null)
        {
            // No words open, and the item's audio not whole: its words had not begun to come (they follow its audio), not
            // all come. What came is a breath of it: cut, and asked for again.
            return false;
        }
        turns.OnResponseEndedWithItsConnection();
        answers?.Listened(active); // it plays on: heard, its turn over, not asked again (continued instead when cut short)
        // Lost, the connection takes nothing more (the cancel is dropped); being renewed, it is still open, and were the
        // renewal to fail it would go on generating an answer whose output is no longer taken.
        await context.SendAsync(new ResponseCancelEvent { ResponseId = active }, ct).ConfigureAwait(false);
        await voice.FinishAsync(ct).ConfigureAwait(false); // the last part of a frame it had
        if (cutShort is null)
        {
            context.Logger.LogInformation("The connection ended ({Reason}) before the answer's response.done, all of its words and audio here: it plays on", reason);
            return true;
        }
        continuation.AwaitEndOf(cutShort);
        context.Logger.LogInformation("The connection ended ({Reason}) in the middle of an answer: the {Ms:F0} ms of it that came play on, and the next connection continues it",
            reason, turns.ReceivedMs(cutShort.ItemId));
        return true;
    }

    /// <summary>
    /// The connection an answer was cut short on goes on after all (its renewal failed): the answer's item there holds what
    /// the service made of it before the cancel took effect, more than came. It is truncated at the audio that came (all of
    /// which plays), so the continuation asked there goes on from the last word the listener hears.
    /// </summary>
    public async ValueTask ConnectionKeptAsync(CancellationToken ct)
    {
        if (continuation?.AwaitedItemId is not { } itemId || turns.TruncateAtReceived(itemId) is not { } truncate)
        {
            return;
        }
        await SendAsync(truncate, ct).ConfigureAwait(false);
        context.Logger.LogInformation("The renewal failed after an answer was cut short: {Item} truncated at the {EndMs} ms of it that came", truncate.ItemId, truncate.AudioEndMs);
    }

    /// <summary>A barge-in for the user (speech, text, an interrupt, leaving): an answer asked for before is owed no more.</summary>
    public async ValueTask RunAsync(string reason, CancellationToken ct)
    {
        UserMovedOn();
        await CutAsync(reason, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// What was to be asked of the service for what the user left behind is not asked (an owed answer, a continuation),
    /// and an answer asked for whose response has not come yet is cancelled as it comes.
    /// </summary>
    private void UserMovedOn()
    {
        turns.CancelTheResponseOnItsWay();
        responses?.UserMovedOn();
        continuation?.UserMovedOn();
        idle?.Disarm(); // whatever they did ends their silence
    }

    /// <summary>
    /// A barge-in of the session's own (a connection ending or being renewed); returns the id of the answer it cancelled
    /// before a word of it was heard (null when none was), an answer that answered nothing: whoever cut it owes the user
    /// that answer.
    /// </summary>
    public ValueTask<string?> CutAsync(string reason, CancellationToken ct) => RunAsync(reason, serverCancels: false, ct);

    /// <summary>
    /// The server's turn detection heard the user begin to speak. It was configured to cancel the response in
    /// progress itself (<c>interrupt_response</c>, always on here), and does so as it reports the speech: a
    /// <c>response.cancel</c> from this side would only come after that and be refused
    /// (<c>response_cancel_not_active</c>), on every barge-in. The rest is as for any barge-in: its output is dropped
    /// from now on, and its <c>response.done</c> awaited before a new response is asked for.
    /// </summary>
    public async ValueTask RunForServerSpeechAsync(CancellationToken ct)
    {
        UserMovedOn();
        await RunAsync("the server heard speech", serverCancels: true, ct).ConfigureAwait(false);
    }

    private async ValueTask<string?> RunAsync(string reason, bool serverCancels, CancellationToken ct)
    {
        if (!AgentSpeaking)
        {
            return null;
        }
        var (itemId, playedMs, dropped, cutTurn) = voice.Clear();
        await context.EmitAsync(new FlushOutput(itemId), ct).ConfigureAwait(false);
        if (dropped > 0)
        {
            context.Metrics.FramesDropped.Add(dropped, new KeyValuePair<string, object?>("reason", "barge_in"));
        }

        // Without audio out the answer reaches the user as text: some was given when its transcript is open.
        var textGiven = !context.Options.AudioOut && transcript.IsOpen;
        var plan = turns.BargeIn(itemId, playedMs);
        if (plan.CancelResponseId is { } cancelled && !serverCancels)
        {
            await context.SendAsync(new ResponseCancelEvent { ResponseId = cancelled }, ct).ConfigureAwait(false);
        }
        foreach (var truncate in plan.Truncates)
        {
            await SendAsync(truncate, ct).ConfigureAwait(false);
            context.Logger.LogInformation("Barge-in ({Reason}): truncated {Item} at {EndMs} ms of {ReceivedMs:F0} ms", reason, truncate.ItemId, truncate.AudioEndMs, turns.ReceivedMs(truncate.ItemId));
        }

        var wordHeard = await transcript.InterruptAsync(cutTurn, new PlayedAudio(itemId, playedMs, itemId is null ? null : turns.WholeMs(itemId), itemId is null ? 0 : turns.ReceivedMs(itemId)), ct).ConfigureAwait(false);
        firstAudio.Cancel();
        context.Metrics.Interruptions.Add(1);
        if (plan.CancelResponseId is not { } cut)
        {
            return null;
        }
        if (textGiven || turns.MadeACall(cut) || turns.HeardAnyOf(cut, itemId, playedMs, aWordOfThePlaying: wordHeard))
        {
            // Some of it was heard (or it called a tool, whose round goes on): its turn is over. Cut before a word of it
            // was heard (at most a breath of its first syllable), it answered nothing, and its turn stays to be sent to a
            // new connection (a renewal or a reconnect is what cuts it so).
            answers?.Listened(cut);
            return null;
        }
        answers?.NotHeard(cut); // its first audio taken was a breath of a syllable: it is asked for, not heard
        return cut;
    }

    private ValueTask SendAsync(TruncateOrder truncate, CancellationToken ct) => context.SendAsync(new ConversationItemTruncateEvent
    {
        ItemId = truncate.ItemId,
        ContentIndex = truncate.ContentIndex,
        AudioEndMs = truncate.AudioEndMs,
    }, ct);
}
