namespace V2V.Voice.Transcripts;

/// <summary>
/// How much of a cut answer's words the listener heard. The service gives no timing of words, and a sentence is
/// released to the reader only once the audio received before it was played, so at a barge-in the sentence being
/// spoken has not been told: cut at 98% of a one-sentence answer, none of it would be. When the answer's text and
/// its item's audio are whole (its transcript and its audio done), the words heard are estimated from the share of
/// its audio played, speech being close to even in pace within one item, and cut back to the last whole word: a word
/// half heard is not claimed. Socket-free.
/// </summary>
internal static class HeardText
{
    /// <summary>
    /// Characters of <paramref name="text"/> heard: at least <paramref name="toldChars"/> (the sentences already
    /// released), more when <paramref name="playedMs"/> of the item's <paramref name="wholeMs"/> of audio reach past
    /// them, ending at a word's end.
    /// </summary>
    public static int Chars(string text, int toldChars, double playedMs, double wholeMs)
    {
        if (playedMs <= 0 || wholeMs <= 0)
        {
            return Math.Clamp(toldChars, 0, text.Length);
        }
        return playedMs >= wholeMs ? text.Length : Chars(text, toldChars, text.Length * (playedMs / wholeMs));
    }

    /// <summary>
    /// Characters of <paramref name="text"/> heard when about <paramref name="estimatedChars"/> of it were: at least
    /// <paramref name="toldChars"/>, else back to the last word's end at or before the estimate.
    /// </summary>
    public static int Chars(string text, int toldChars, double estimatedChars)
    {
        toldChars = Math.Clamp(toldChars, 0, text.Length);
        var estimate = (int)Math.Clamp(estimatedChars, 0, text.Length);
        for (var end = estimate; end > toldChars; end--)
        {
            if (EndsWord(text, end))
            {
                return end;
            }
        }
        return toldChars;
    }

    // A word ends at the end of the text, before a space, or after a character of a script written without spaces
    // (Chinese, Japanese), where each character is a word's worth.
    private static bool EndsWord(string text, int end) =>
        end == text.Length || char.IsWhiteSpace(text[end]) || (!char.IsWhiteSpace(text[end - 1]) && IsUnspacedScript(text[end - 1]));

    private static bool IsUnspacedScript(char c) =>
        c is (>= '\u3000' and <= '\u30FF') or (>= '\u3400' and <= '\u9FFF') or (>= '\uF900' and <= '\uFAFF') or (>= '\uFF00' and <= '\uFFEF');
}
