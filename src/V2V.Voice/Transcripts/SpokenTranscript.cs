using V2V.Realtime.Protocol.ClientEvents;
using V2V.Realtime.Protocol.Models;
using V2V.Voice.Conversation;
using V2V.Voice.Outputs;
using V2V.Voice.Playback;
using V2V.Voice.Session;

namespace V2V.Voice.Transcripts;

/// <summary>
/// The agent's words, in step with its voice. Unpaced, each sentence goes to the reader at once (the reader plays the
/// audio as it gets it). Paced, it waits in the playout queue behind the audio received before it, so the transcript
/// never runs ahead of what is heard by more than the sentence being spoken; the history gets a turn's text once it
/// was heard to its end, or what was heard of it at a barge-in. An answer that came whole plays on when its connection
/// ends; heard after a new connection went live, its words are sent to that connection too (it has them in no other
/// way). Owns the turn being assembled, the turn being spoken, and the words owed to the live connection.
/// </summary>
/// <param name="context">The session's collaborators: where the words go out.</param>
/// <param name="voice">The agent's voice: paced or not, and the playout the words wait in.</param>
/// <param name="history">The conversation history: what was heard joins it.</param>
/// <param name="wholeAudioMsOf">The length of an item's audio once all of it came (null before): the pace of the voice is learned from it.</param>
internal sealed class SpokenTranscript(SessionContext context, AgentVoice voice, ConversationHistory history, Func<string, double?> wholeAudioMsOf)
{
    private readonly TranscriptAssembler _transcript = new();
    private readonly SpeakingRate _rate = new();
    private readonly List<TranscriptOutput> _pieces = [];

    // Paced output: the turn whose words are on their way to the listener, and how much of its text was queued.
    private SpokenTurn? _spokenTurn;
    private int _queuedChars;

    // The item whose turn was closed last (its final told, or queued behind its audio): a barge-in never tells it twice.
    private string? _closedItem;

    // Connections gone live so far: a turn knows which one it came on.
    private int _connection;

    // Words of turns of an ended connection, heard after the live one had its history replayed: owed to it, in order.
    // Bounded by the turns the playout queue held when that connection ended.
    private readonly List<string> _owedToLiveConnection = [];

    /// <summary>A turn of the agent's words is being assembled.</summary>
    public bool IsOpen => _transcript.IsOpen;

    /// <summary>A delta of the agent's words: each completed sentence is a not-final piece.</summary>
    public async ValueTask AddAsync(string itemId, string delta, CancellationToken ct)
    {
        _pieces.Clear();
        _transcript.Add(itemId, delta, _pieces);
        if (!voice.IsPaced)
        {
            foreach (var piece in _pieces)
            {
                await context.EmitAsync(piece, ct).ConfigureAwait(false);
            }
            return;
        }
        if (_spokenTurn is null || _spokenTurn.ItemId != itemId)
        {
            _spokenTurn = new SpokenTurn(itemId) { Connection = _connection };
            _queuedChars = 0;
        }
        foreach (var piece in _pieces)
        {
            _queuedChars += piece.Text.Length;
            voice.EnqueueText(piece, _spokenTurn, _queuedChars);
        }
    }

    /// <summary>
    /// Closes the agent's turn with one final piece. Unpaced, it goes out now and the history keeps the whole text;
    /// paced, it waits behind the turn's audio, and the history gets the text once it has been heard to its end.
    /// </summary>
    public async ValueTask CloseAsync(string? fullText, bool interrupted, CancellationToken ct)
    {
        var (final, text) = _transcript.Close(fullText, interrupted);
        _closedItem = final.ItemId;
        if (!voice.IsPaced)
        {
            if (!string.IsNullOrWhiteSpace(text))
            {
                history.AddAssistant(text);
            }
            await context.EmitAsync(final, ct).ConfigureAwait(false);
            return;
        }
        var turn = _spokenTurn ?? new SpokenTurn(final.ItemId ?? string.Empty) { Connection = _connection };
        turn.FullText = text;
        turn.ClosedWhole = !interrupted;
        LearnPace(turn);
        voice.EnqueueText(final, turn, text.Length);
        _spokenTurn = null;
    }

    /// <summary>
    /// Paced output: the connection ended in the middle of the answer, whose words came ahead of its voice, and the audio
    /// received of the item being spoken (<paramref name="receivedMsOf"/>) plays on. Nothing more of it will come: its turn
    /// closes now as interrupted, at the words that audio holds (at the pace learned from earlier answers; without one,
    /// at the sentences already queued: nothing is claimed that was perhaps not said), and the final piece waits behind the
    /// audio. Returns the turn, null when no words of the answer are open (none came, or they all came).
    /// </summary>
    public SpokenTurn? CloseCutShort(Func<string, double> receivedMsOf)
    {
        if (!voice.IsPaced || !_transcript.IsOpen || _spokenTurn is not { } turn)
        {
            return null;
        }
        var receivedMs = receivedMsOf(turn.ItemId);
        var text = _transcript.Text;
        var queued = Math.Min(_queuedChars, text.Length);
        var said = _rate.HeardChars(receivedMs, text.Length, receivedMs) is { } estimate ? HeardText.Chars(text, queued, estimate) : queued;
        _transcript.Close(null, interrupted: true); // its rest will never be said
        turn.FullText = text[..said];
        _closedItem = turn.ItemId;
        voice.EnqueueText(new TranscriptOutput(TranscriptRole.Assistant, text[queued..said], true, true, true, turn.ItemId), turn, said);
        _spokenTurn = null;
        return turn;
    }

    /// <summary>Turns the listener heard to their end join the history (paced output).</summary>
    public void TakeHeardTurns()
    {
        while (voice.TryTakeHeardTurn(out var turn))
        {
            if (!string.IsNullOrWhiteSpace(turn.FullText))
            {
                AddHeard(turn, turn.FullText);
                LearnPace(turn);
            }
        }
    }

    /// <summary>
    /// Before each piece of the session's work: turns heard to their end join the history, and words owed to the live
    /// connection are sent, so that they come before anything the work adds to its conversation.
    /// </summary>
    public ValueTask CatchUpAsync(CancellationToken ct)
    {
        TakeHeardTurns();
        return _owedToLiveConnection.Count == 0 ? ValueTask.CompletedTask : SendOwedAsync(ct);
    }

    /// <summary>
    /// A new connection went live, with the history replayed to it (taken just before, with the session's work held):
    /// what was owed to the old one is in it, and the turns still playing came on a connection that has ended.
    /// </summary>
    public void NewConnectionLive()
    {
        _connection++;
        _owedToLiveConnection.Clear();
    }

    private void AddHeard(SpokenTurn turn, string text)
    {
        history.AddAssistant(text);
        if (turn.Connection < _connection && history.Keeps)
        {
            _owedToLiveConnection.Add(text);
        }
    }

    private async ValueTask SendOwedAsync(CancellationToken ct)
    {
        foreach (var text in _owedToLiveConnection)
        {
            await context.SendAsync(new ConversationItemCreateEvent { Item = RealtimeConversationItem.AssistantText(text) }, ct).ConfigureAwait(false);
        }
        _owedToLiveConnection.Clear();
    }

    /// <summary>
    /// Once a turn's text and its audio are both whole, they say the pace of the voice, whether or not the listener
    /// hears it to its end: the service sends an answer faster than it is played, so an answer cut early is usually
    /// whole already, and the next answer cut while its audio is still coming is then read at that pace.
    /// </summary>
    private void LearnPace(SpokenTurn turn)
    {
        if (turn.PaceLearned || !turn.ClosedWhole || turn.FullText is not { } text || wholeAudioMsOf(turn.ItemId) is not { } wholeMs)
        {
            return;
        }
        turn.PaceLearned = true;
        _rate.Learn(text.Length, wholeMs);
    }

    /// <summary>
    /// A barge-in (after the voice was cleared, <paramref name="cut"/> the turn it cut, <paramref name="played"/> the
    /// item being heard and how much of it was): the transcript closes as interrupted. An answer of which some audio
    /// was heard before any of its words reached the session (a renewal or a barge-in just after it began, with its
    /// words still on their way) is closed too, with no words: every answer the listener heard ends with a final
    /// transcript.
    /// </summary>
    /// <returns>
    /// Whether a word of the turn being spoken was heard (paced: of the item being played, its words up to the cut; not
    /// paced, the reader was given them as they came: true).
    /// </returns>
    public async ValueTask<bool> InterruptAsync(SpokenTurn? cut, PlayedAudio played, CancellationToken ct)
    {
        var closed = false;
        var wordHeard = !voice.IsPaced;
        var heardItemId = played.PlayedMs > 0 ? played.ItemId : null;
        if (voice.IsPaced)
        {
            TakeHeardTurns();
            (closed, wordHeard) = await CloseCutTurnAsync(cut, played, ct).ConfigureAwait(false);
        }
        else if (_transcript.IsOpen)
        {
            await CloseAsync(null, interrupted: true, ct).ConfigureAwait(false);
            closed = true;
        }
        if (!closed && heardItemId is not null && heardItemId != _closedItem)
        {
            _closedItem = heardItemId;
            await context.EmitAsync(new TranscriptOutput(TranscriptRole.Assistant, string.Empty, true, true, true, heardItemId), ct).ConfigureAwait(false);
        }
        if (_owedToLiveConnection.Count > 0)
        {
            await SendOwedAsync(ct).ConfigureAwait(false); // before the words of the user who cut it reach the conversation
        }
        return wordHeard;
    }

    /// <summary>
    /// Paced output: the words of the cut turn not yet heard were dropped with the audio; the transcript closes as
    /// interrupted with the words of the sentence being spoken that were heard (<see cref="HeardText"/>, once the
    /// turn's text and its item's audio are whole; while its audio is still coming, at the pace learned from earlier
    /// answers (<see cref="SpeakingRate"/>); else the sentences told are what was heard), and the history keeps them all.
    /// </summary>
    private async ValueTask<(bool Closed, bool WordHeard)> CloseCutTurnAsync(SpokenTurn? cut, PlayedAudio played, CancellationToken ct)
    {
        var turn = cut ?? _spokenTurn;
        var openText = _transcript.IsOpen ? _transcript.Text : null;
        if (_transcript.IsOpen)
        {
            _transcript.Close(null, interrupted: true); // its rest was never heard
        }
        _spokenTurn = null;
        if (turn is null)
        {
            return (false, false); // no words of it came: nothing told yet
        }
        LearnPace(turn);
        var text = turn.FullText ?? openText ?? string.Empty;
        var told = Math.Min(turn.HeardChars, text.Length);
        // A whole turn's share of its whole audio says how far into its words the listener got; with its audio still
        // coming, the pace of the voice learned from earlier answers does (nothing is claimed before one is learned).
        var heardChars = played.ItemId != turn.ItemId ? told
            : turn.FullText is not null && played.WholeMs is { } wholeMs ? HeardText.Chars(text, told, played.PlayedMs, wholeMs)
            : _rate.HeardChars(played.PlayedMs, text.Length, played.ReceivedMs) is { } estimate ? HeardText.Chars(text, told, estimate)
            : told;
        var heard = text[..heardChars];
        if (!string.IsNullOrWhiteSpace(heard))
        {
            AddHeard(turn, heard);
        }
        _closedItem = turn.ItemId;
        await context.EmitAsync(new TranscriptOutput(TranscriptRole.Assistant, text[told..heardChars], true, true, true, turn.ItemId), ct).ConfigureAwait(false);
        return (true, !string.IsNullOrWhiteSpace(heard));
    }
}
