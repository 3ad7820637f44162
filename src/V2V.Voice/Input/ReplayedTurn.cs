namespace V2V.Voice.Input;

/// <summary>
/// The open user turn sent again on a new connection (<see cref="OpenTurnAudio.Restart"/>): its audio at the model
/// rate (empty when no turn was open), how long it is, and how much of its beginning was no longer kept (a turn longer
/// than <see cref="OpenTurnAudio.MaxTurn"/>, or a speech start reported later than the audio kept before a turn).
/// </summary>
internal readonly record struct ReplayedTurn(short[] Audio, double ReplayedMs, double MissingMs)
{
    /// <summary>
    /// Ms of the audio kept while there was no connection, sent after the turn, that was louder than the quiet level (the
    /// user spoke meanwhile: the service's turn detection will hear a turn in it and answer it). 0 when not looked at.
    /// </summary>
    public double KeptLoudMs { get; init; }

    /// <summary>
    /// Samples at the start of <see cref="Audio"/> that the old connection had committed (turns ended on this side whose
    /// answer was not heard): the new connection is sent them, then a commit, then the rest. 0 when none.
    /// </summary>
    public int CommittedSamples { get; init; }

    /// <summary>Nothing sent again: no turn was open, or the connection is not new.</summary>
    public static ReplayedTurn None { get; } = new([], 0, 0);
}
