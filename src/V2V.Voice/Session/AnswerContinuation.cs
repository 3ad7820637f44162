using Microsoft.Extensions.Logging;
using V2V.Voice.Actor;
using V2V.Voice.Playback;
using V2V.Voice.Turns;

namespace V2V.Voice.Session;

/// <summary>
/// An answer cut short by its connection's end: the service sends an answer faster than it is played, so when a
/// connection drops in the middle of one, seconds of it may be here still unplayed. They play on; once the listener
/// heard them to their end (their words then join the new connection's conversation, see
/// <see cref="Transcripts.SpokenTranscript"/>), the new connection is asked to go on from the last word heard, so the
/// user hears the answer finished after a pause instead of cut mid-sentence. Whatever the user does meanwhile (speaks,
/// types, leaves) replaces it. Owns the turn whose end is awaited and whether a continuation is owed.
/// </summary>
internal sealed class AnswerContinuation(SessionContext context, ServerLink link, SessionInbox inbox, ResponseCoordinator responses)
{
    internal const string ContinueText =
        "Your last answer above was cut off by a lost connection: the user heard it up to its last word and no further. " +
        "Continue it from exactly there, without repeating any of it and without mentioning the interruption.";

    private SpokenTurn? _awaited;
    private bool _owed;

    /// <summary>The item of the answer cut short whose end is awaited (null when none is).</summary>
    public string? AwaitedItemId => _awaited?.ItemId;

    /// <summary>The answer's <paramref name="turn"/> plays on: once heard to its end, the next connection continues it.</summary>
    public void AwaitEndOf(SpokenTurn turn)
    {
        _awaited = turn;
        _owed = false;
        turn.WhenHeard = () => _ = PostHeardAsync(turn);
    }

    /// <summary>The user moved on (spoke, typed, left, or was interrupted for): the cut answer is not continued.</summary>
    public void UserMovedOn()
    {
        _awaited = null;
        _owed = false;
    }

    /// <summary>
    /// A connection went live. When the user's words were sent to it (their unanswered turn again, or speech kept while
    /// there was no connection), it answers them, the user's later words: the cut answer is not continued.
    /// </summary>
    public void NewConnection(bool userSpoke)
    {
        if (userSpoke)
        {
            UserMovedOn();
        }
    }

    /// <summary>On a live connection, after its words were given to it: the continuation owed is asked for.</summary>
    public async ValueTask AskIfOwedAsync(CancellationToken ct)
    {
        if (!_owed || !link.IsOpen)
        {
            return;
        }
        _owed = false;
        context.Logger.LogInformation("An answer cut short by its connection's end was heard to its last word received: the connection is asked to continue it");
        await responses.RequestWithNoteAsync(ContinueText, null, ct).ConfigureAwait(false);
    }

    // On the reader's thread: only posts. The session's work runs the catch-up first, which gives the words heard to the
    // live connection, so they come before the request to continue them.
    private async Task PostHeardAsync(SpokenTurn turn)
    {
        try
        {
            await inbox.PostAsync(ct => HeardAsync(turn, ct), "an answer cut short was heard").ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    private ValueTask HeardAsync(SpokenTurn turn, CancellationToken ct)
    {
        if (_awaited != turn)
        {
            return ValueTask.CompletedTask; // the user moved on meanwhile
        }
        _awaited = null;
        _owed = true;
        return AskIfOwedAsync(ct); // not connected yet: asked once the next connection is live
    }
}
