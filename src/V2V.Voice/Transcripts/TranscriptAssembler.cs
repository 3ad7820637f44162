using System.Text;
using V2V.Voice.Outputs;

namespace V2V.Voice.Transcripts;

/// <summary>
/// The agent's words of the turn being spoken: each completed sentence as a not-final piece, then one final piece
/// (the rest) when the turn closes, and the whole text for the history. Socket-free. Bounded: a turn that never
/// ends keeps at most <see cref="MaxTurnText"/> characters for the history.
/// </summary>
internal sealed class TranscriptAssembler
{
    public const int MaxTurnText = 64 * 1024;

    private readonly SentenceSplitter _sentences = new();
    private readonly StringBuilder _text = new();
    private readonly List<string> _scratch = [];

    /// <summary>A turn has begun and not closed.</summary>
    public bool IsOpen { get; private set; }

    /// <summary>The words of the open turn so far (bounded by <see cref="MaxTurnText"/>).</summary>
    public string Text => _text.ToString();

    /// <summary>The item whose words are being assembled.</summary>
    public string? ItemId { get; private set; }

    /// <summary>A delta of the agent's words: the sentences it completes are added to <paramref name="pieces"/>.</summary>
    public void Add(string itemId, string delta, List<TranscriptOutput> pieces)
    {
        IsOpen = true;
        ItemId = itemId;
        if (_text.Length + delta.Length <= MaxTurnText)
        {
            _text.Append(delta);
        }
        _scratch.Clear();
        _sentences.Add(delta, _scratch);
        foreach (var sentence in _scratch)
        {
            pieces.Add(new TranscriptOutput(TranscriptRole.Assistant, sentence, false, false, false, itemId));
        }
    }

    /// <summary>
    /// Closes the turn: the final piece (the rest of the last sentence; empty when the turn ended on a full stop) and
    /// the turn's whole text for the history (<paramref name="fullText"/> when the server gave it, else what came).
    /// </summary>
    public (TranscriptOutput Final, string Text) Close(string? fullText, bool interrupted)
    {
        var rest = _sentences.TakeRest();
        var text = fullText ?? _text.ToString();
        var final = new TranscriptOutput(TranscriptRole.Assistant, rest, true, true, interrupted, ItemId);
        _text.Clear();
        IsOpen = false;
        ItemId = null;
        return (final, text);
    }
}
