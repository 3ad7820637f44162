namespace V2V.Voice.Playback;

/// <summary>
/// One turn of the agent's words on its way to the listener: how much of its text has been released with the audio
/// (written by the pacer under the playout queue's lock), and its whole text once the server has sent it all.
/// </summary>
internal sealed class SpokenTurn(string itemId)
{
    public string ItemId { get; } = itemId;

    /// <summary>Characters of the turn's text released to the listener so far.</summary>
    public int HeardChars { get; set; }

    /// <summary>The turn's whole text, set when the server has closed it (before its final piece is queued).</summary>
    public string? FullText { get; set; }
}
