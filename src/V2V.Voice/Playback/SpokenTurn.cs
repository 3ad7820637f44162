namespace V2V.Voice.Playback;

/// <summary>
/// One turn of the agent's words on its way to the listener: how much of its text the reader has taken (written by
/// the reader's thread, in <see cref="TransportHandoff"/>), whether it took the turn's final piece, and its whole text
/// once the server has sent it all.
/// </summary>
internal sealed class SpokenTurn(string itemId)
{
    private volatile int _heardChars;
    private volatile bool _finalHeard;

    public string ItemId { get; } = itemId;

    /// <summary>Characters of the turn's text taken by the reader so far.</summary>
    public int HeardChars
    {
        get => _heardChars;
        set => _heardChars = value;
    }

    /// <summary>The reader took the turn's final piece: it was heard to its end.</summary>
    public bool FinalHeard
    {
        get => _finalHeard;
        set => _finalHeard = value;
    }

    /// <summary>The turn's whole text, set when the server has closed it (before its final piece is queued).</summary>
    public string? FullText { get; set; }

    /// <summary>
    /// The server finished the turn's transcript (not closed early by a failed or incomplete response): its text and audio say
    /// the pace of the voice. Written and read on the session's actor.
    /// </summary>
    public bool ClosedWhole { get; set; }

    /// <summary>The pace of the voice was learned from this turn already (on the session's actor).</summary>
    public bool PaceLearned { get; set; }

    /// <summary>
    /// Which connection the turn came on (the count of connections gone live before it): heard after a later one went
    /// live, its words are not in that connection's conversation yet.
    /// </summary>
    public int Connection { get; init; }

    /// <summary>
    /// Called on the reader's thread once the reader took the turn's final piece (null: nobody waits for it). It must only
    /// hand the news on (post work to the session), never block the reader.
    /// </summary>
    public Action? WhenHeard { get; set; }
}
