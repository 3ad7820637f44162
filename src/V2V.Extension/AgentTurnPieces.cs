using V2V.Voice.Outputs;

namespace V2V.Extension;

/// <summary>
/// Which of the agent's transcript pieces go out as text_data. TEN's message_collector publishes the pieces of a turn
/// when its closing piece comes. A turn cut before any of its words went out (a greeting the user spoke over, even
/// after some of its voice was heard: words are released once the audio before their sentence has been heard, and
/// a cut counts the words of the sentence being spoken only once the turn's audio has all come) closes with empty
/// text and nothing before it, which the collector would publish as an empty agent message: that closing piece is not
/// sent, as the original sent none; nor is an empty piece within a turn. Every other piece is. The barge-in itself is
/// the flush cmd (with the item's id): that is how a consumer marks a cut turn whose words never went out.
/// </summary>
internal sealed class AgentTurnPieces
{
    private bool _wordsSent;

    /// <summary>Whether <paramref name="transcript"/> (one of the agent's) goes out.</summary>
    public bool ShouldSend(TranscriptOutput transcript)
    {
        if (!transcript.IsFinal)
        {
            _wordsSent |= transcript.Text.Length > 0;
            return transcript.Text.Length > 0; // an empty piece adds nothing to the turn
        }
        var nothingToClose = transcript.Text.Length == 0 && !_wordsSent;
        _wordsSent = false;
        return !nothingToClose;
    }
}
