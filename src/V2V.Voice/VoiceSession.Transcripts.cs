using V2V.Voice.Outputs;
using V2V.Voice.Playback;

namespace V2V.Voice;

public sealed partial class VoiceSession
{
    private readonly List<TranscriptOutput> _pieceScratch = [];

    // Paced output: the turn whose words are on their way to the listener, and how much of its text was queued.
    private SpokenTurn? _spokenTurn;
    private int _queuedChars;

    /// <summary>
    /// A delta of the agent's words: each completed sentence is a not-final piece. Unpaced, it goes out at once (the
    /// reader plays the audio as it gets it); paced, it waits in the playout queue behind the audio received before
    /// it, so the transcript never runs ahead of what is heard by more than the sentence being spoken.
    /// </summary>
    private async ValueTask OnAssistantTextAsync(string itemId, string delta, CancellationToken ct)
    {
        _pieceScratch.Clear();
        _transcript.Add(itemId, delta, _pieceScratch);
        if (_playout is null)
        {
            foreach (var piece in _pieceScratch)
            {
                await EmitAsync(piece, ct).ConfigureAwait(false);
            }
            return;
        }
        if (_spokenTurn is null || _spokenTurn.ItemId != itemId)
        {
            _spokenTurn = new SpokenTurn(itemId);
            _queuedChars = 0;
        }
        foreach (var piece in _pieceScratch)
        {
            _queuedChars += piece.Text.Length;
            _playout.EnqueueText(piece, _spokenTurn, _queuedChars);
        }
    }

    /// <summary>
    /// Closes the agent's turn with one final piece. Unpaced, it goes out now and the history keeps the whole text;
    /// paced, it waits behind the turn's audio, and the history gets the text once it has been heard to its end
    /// (<see cref="TakeHeardTurns"/>), or what was heard of it at a barge-in.
    /// </summary>
    private async ValueTask CloseAssistantTurnAsync(string? fullText, bool interrupted, CancellationToken ct)
    {
        var (final, text) = _transcript.Close(fullText, interrupted);
        if (_playout is null)
        {
            if (!string.IsNullOrWhiteSpace(text))
            {
                _history.AddAssistant(text);
            }
            await EmitAsync(final, ct).ConfigureAwait(false);
            return;
        }
        var turn = _spokenTurn ?? new SpokenTurn(final.ItemId ?? string.Empty);
        turn.FullText = text;
        _playout.EnqueueText(final, turn, text.Length);
        _spokenTurn = null;
    }

    /// <summary>The conversation as it would be replayed after a reconnect, taken on the actor (for tests and diagnostics).</summary>
    internal async Task<IReadOnlyList<V2V.Realtime.Protocol.Models.RealtimeConversationItem>> HistorySnapshotAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<V2V.Realtime.Protocol.Models.RealtimeConversationItem> snapshot = [];
        await PostAndWaitAsync(_ =>
        {
            TakeHeardTurns();
            snapshot = _history.Items;
            return ValueTask.CompletedTask;
        }, cancellationToken).ConfigureAwait(false);
        return snapshot;
    }

    /// <summary>Turns the listener heard to their end join the history (paced output).</summary>
    private void TakeHeardTurns()
    {
        while (_playout?.TryTakeHeardTurn(out var turn) == true)
        {
            if (!string.IsNullOrWhiteSpace(turn.FullText))
            {
                _history.AddAssistant(turn.FullText);
            }
        }
    }

    /// <summary>
    /// A barge-in cut the turn being spoken (paced output): its words not yet heard were dropped with the audio; the
    /// transcript closes as interrupted, and the history keeps what was heard (to within the sentence being spoken).
    /// </summary>
    private async ValueTask CloseCutTurnAsync(SpokenTurn? cut, CancellationToken ct)
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
            return;
        }
        var text = turn.FullText ?? openText ?? string.Empty;
        var heard = text[..Math.Min(turn.HeardChars, text.Length)];
        if (!string.IsNullOrWhiteSpace(heard))
        {
            _history.AddAssistant(heard);
        }
        await EmitAsync(new TranscriptOutput(TranscriptRole.Assistant, string.Empty, true, true, true, turn.ItemId), ct).ConfigureAwait(false);
    }
}
