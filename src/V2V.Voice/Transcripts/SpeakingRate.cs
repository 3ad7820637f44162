namespace V2V.Voice.Transcripts;

/// <summary>
/// How fast the agent's voice speaks its words, in characters of transcript per ms of audio, learned from the answers
/// of this session whose text and audio have all come (heard to their end or cut: the service sends them faster than
/// they are played; never from one whose transcript the service did not finish). A cut answer whose audio is still coming has
/// no length to take a share of; this rate says how far into its words the audio played reached. Learned, not
/// assumed: the voice, the language and the model's pace differ, and Chinese speaks a few characters a second where
/// English speaks fifteen. Socket-free; used on the session's actor only.
/// </summary>
internal sealed class SpeakingRate
{
    /// <summary>The share of the learned rate claimed: a word the voice may not have reached is not claimed.</summary>
    public const double Margin = 0.9;

    // The answers learned from: the last few, so that a session's pace (a new voice, another language) is followed.
    private const int Remembered = 8;

    // An answer this short says little about the pace (a pause or a breath weighs as much as its words).
    private const int FewestChars = 10;
    private const double ShortestMs = 500;

    private readonly Queue<(int Chars, double Ms)> _answers = new();
    private long _chars;
    private double _ms;

    /// <summary>Characters per ms of audio; null until a whole answer long enough came.</summary>
    public double? CharsPerMs => _ms > 0 ? _chars / _ms : null;

    /// <summary>An answer of <paramref name="chars"/> characters whose whole audio lasted <paramref name="audioMs"/>.</summary>
    public void Learn(int chars, double audioMs)
    {
        if (chars < FewestChars || audioMs < ShortestMs)
        {
            return;
        }
        _answers.Enqueue((chars, audioMs));
        _chars += chars;
        _ms += audioMs;
        if (_answers.Count > Remembered)
        {
            var (oldChars, oldMs) = _answers.Dequeue();
            _chars -= oldChars;
            _ms -= oldMs;
        }
    }

    /// <summary>
    /// Characters the listener heard of an answer still coming: <paramref name="playedMs"/> at the learned pace (less
    /// the margin), and no more than the share of the audio received that was played covers of the words received
    /// (when the words came no faster than the audio). Null when no pace is known yet.
    /// </summary>
    public double? HeardChars(double playedMs, int receivedChars, double receivedMs)
    {
        if (CharsPerMs is not { } rate || playedMs <= 0 || receivedMs <= 0)
        {
            return null;
        }
        return Math.Min(playedMs * rate * Margin, receivedChars * Math.Min(1, playedMs / receivedMs));
    }
}
