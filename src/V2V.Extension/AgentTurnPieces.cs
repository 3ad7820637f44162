using V2V.Voice.Outputs;

namespace V2V.Extension;

/// <summary>
/// Which of the agent's transcript pieces go out as text_data. TEN's message_collector publishes the pieces of a turn
/// when its closing piece comes; a turn cut before any of it went out, neither words nor voice (a greeting the user
/// spoke over at once), closes with empty text and nothing before it, which the collector would publish as an empty
/// agent message: that closing piece is not sent. Every other piece is, so a turn whose voice was heard but none of
/// whose words were yet is still closed, marked interrupted, for a consumer (the playground) that shows it.
/// </summary>
internal sealed class AgentTurnPieces
{
    private bool _turnOpen;

    /// <summary>A frame of the agent's voice went out: its turn has begun for the listener.</summary>
    public void OnVoice() => _turnOpen = true;

    /// <summary>Whether <paramref name="transcript"/> (one of the agent's) goes out.</summary>
    public bool ShouldSend(TranscriptOutput transcript)
    {
        var nothingToClose = transcript.IsFinal && transcript.Text.Length == 0 && !_turnOpen;
        _turnOpen = !transcript.IsFinal;
        return !nothingToClose;
    }
}
