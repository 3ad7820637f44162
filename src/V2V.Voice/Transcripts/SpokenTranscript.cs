using V2V.Voice.Conversation;
using V2V.Voice.Outputs;
using V2V.Voice.Playback;
using V2V.Voice.Session;

namespace V2V.Voice.Transcripts;

/// <summary>
/// The agent's words, in step with its voice. Unpaced, each sentence goes to the reader at once (the reader plays the
/// audio as it gets it). Paced, it waits in the playout queue behind the audio received before it, so the transcript
/// never runs ahead of what is heard by more than the sentence being spoken; the history gets a turn's text once it
/// was heard to its end, or what was heard of it at a barge-in. Owns the turn being assembled and the turn being spoken.
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
            _spokenTurn = new SpokenTurn(itemId);
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
        var turn = _spokenTurn ?? new SpokenTurn(final.ItemId ?? string.Empty);
        turn.FullText = text;
        turn.ClosedWhole = !interrupted;
        LearnPace(turn);
        voice.EnqueueText(final, turn, text.Length);
        _spokenTurn = null;
    }

    /// <summary>Turns the listener heard to their end join the history (paced output).</summary>
    public void TakeHeardTurns()
    {
        while (voice.TryTakeHeardTurn(out var turn))
        {
            if (!string.IsNullOrWhiteSpace(turn.FullText))
            {
                history.AddAssistant(turn.FullText);
                LearnPace(turn);
            }
        }
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
    public async ValueTask InterruptAsync(SpokenTurn? cut, PlayedAudio played, CancellationToken ct)
    {
        var closed = false;
        var heardItemId = played.PlayedMs > 0 ? played.ItemId : null;
        if (voice.IsPaced)
        {
            TakeHeardTurns();
            closed = await CloseCutTurnAsync(cut, played, ct).ConfigureAwait(false);
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
    }

    /// <summary>
    /// Paced output: the words of the cut turn not yet heard were dropped with the audio; the transcript closes as
    /// interrupted with the words of the sentence being spoken that were heard (<see cref="HeardText"/>, once the
    /// turn's text and its item's audio are whole; while its audio is still coming, at the pace learned from earlier
    /// answers (<see cref="SpeakingRate"/>); else the sentences told are what was heard), and the history keeps them all.
    /// </summary>
    private async ValueTask<bool> CloseCutTurnAsync(SpokenTurn? cut, PlayedAudio played, CancellationToken ct)
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
            return false; // no words of it came: nothing told yet
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
            history.AddAssistant(heard);
        }
        _closedItem = turn.ItemId;
        await context.EmitAsync(new TranscriptOutput(TranscriptRole.Assistant, text[told..heardChars], true, true, true, turn.ItemId), ct).ConfigureAwait(false);
        return true;
    }
}
