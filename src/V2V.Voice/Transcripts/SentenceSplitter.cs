using System.Text;

namespace V2V.Voice.Transcripts;

/// <summary>
/// Cuts a stream of transcript deltas into sentences at sentence-ending punctuation, Latin and CJK
/// (<c>. ! ? … 。 ！ ？ ；</c>) and line breaks. A period between digits ("3.14") does not end a sentence.
/// The unfinished rest is kept for the next delta, or taken when the turn ends.
/// </summary>
internal sealed class SentenceSplitter
{
    private readonly StringBuilder _pending = new();

    // A period right after a digit may be a decimal point ("3.14" can arrive as "3." then "14"): the next
    // character decides.
    private bool _periodAfterDigit;

    /// <summary>Adds a delta and appends every sentence it completes to <paramref name="sentences"/>.</summary>
    public void Add(string delta, List<string> sentences)
    {
        foreach (var c in delta)
        {
            if (_periodAfterDigit)
            {
                _periodAfterDigit = false;
                if (!char.IsDigit(c))
                {
                    TakeIfWordy(sentences);
                }
            }
            _pending.Append(c);
            if (c == '.' && _pending.Length > 1 && char.IsDigit(_pending[^2]))
            {
                _periodAfterDigit = true;
            }
            else if (EndsSentence(c))
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
        _periodAfterDigit = false;
        return rest;
    }

    private static bool EndsSentence(char c) => c is '.' or '!' or '?' or '…' or '。' or '！' or '？' or '；' or '\n';

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
