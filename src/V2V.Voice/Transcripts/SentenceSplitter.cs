using System.Text;

namespace V2V.Voice.Transcripts;

/// <summary>
/// Cuts a stream of transcript deltas into sentences at sentence-ending punctuation, Latin and CJK
/// (<c>. ! ? … 。 ！ ？ ；</c>) and line breaks. A period between digits ("3.14") does not end a sentence, and an
/// ellipsis stays whole; a period is decided when the next character comes.
/// The unfinished rest is kept for the next delta, or taken when the turn ends.
/// </summary>
internal sealed class SentenceSplitter
{
    /// <summary>A text this long without an end of sentence goes out anyway: the pending text is bounded.</summary>
    public const int MaxPending = 2000;

    private readonly StringBuilder _pending = new();

    // A period is decided by the character after it: a digit makes it a decimal point ("3.14" may arrive as
    // "3." then "14"), another period an ellipsis; anything else ends the sentence.
    private bool _periodPending;

    /// <summary>Adds a delta and appends every sentence it completes to <paramref name="sentences"/>.</summary>
    public void Add(string delta, List<string> sentences)
    {
        foreach (var c in delta)
        {
            if (_periodPending && c != '.' && !char.IsDigit(c))
            {
                _periodPending = false;
                TakeIfWordy(sentences);
            }
            else if (_periodPending && char.IsDigit(c))
            {
                _periodPending = false;
            }
            _pending.Append(c);
            if (c == '.')
            {
                _periodPending = true;
            }
            else if (EndsSentence(c) || _pending.Length >= MaxPending)
            {
                TakeIfWordy(sentences);
            }
        }
    }

    /// <summary>The unfinished rest, emptied.</summary>
    public string TakeRest()
    {
        var rest = _pending.ToString();
        _pending.Clear();
        _periodPending = false;
        return rest;
    }

    private static bool EndsSentence(char c) => c is '!' or '?' or '…' or '。' or '！' or '？' or '；' or '\n';

    private void TakeIfWordy(List<string> sentences)
    {
        var sentence = _pending.ToString();
        // Punctuation alone ("..." after a sentence) is not a sentence of its own: it stays with the rest.
        if (!sentence.Any(char.IsLetterOrDigit))
        {
            return;
        }
        sentences.Add(sentence);
        _pending.Clear();
    }
}
