using V2V.Voice.Outputs;

namespace V2V.Extension;

/// <summary>
/// Which of the agent's transcript pieces go out as text_data. TEN's message_collector publishes the pieces of a turn
/// when its closing piece comes; a turn cut before any of it was heard (a greeting the user spoke over) closes with
/// empty text and nothing before it, which the collector would publish as an empty agent message: that closing piece
/// is not sent. Every other piece is.
/// </summary>
internal sealed class AgentTurnPieces
{
    private bool _turnOpen;

    /// <summary>Whether <paramref name="transcript"/> (one of the agent's) goes out.</summary>
    public bool ShouldSend(TranscriptOutput transcript)
    {
        var nothingToClose = transcript.IsFinal && transcript.Text.Length == 0 && !_turnOpen;
        _turnOpen = !transcript.IsFinal;
        return !nothingToClose;
    }
}
