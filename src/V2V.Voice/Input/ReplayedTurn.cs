namespace V2V.Voice.Input;

/// <summary>
/// The open user turn sent again on a new connection (<see cref="OpenTurnAudio.Restart"/>): its audio at the model
/// rate (empty when no turn was open), how long it is, and how much of its beginning was no longer kept (a turn longer
/// than <see cref="OpenTurnAudio.MaxTurn"/>, or a speech start reported later than the audio kept before a turn).
/// </summary>
internal readonly record struct ReplayedTurn(short[] Audio, double ReplayedMs, double MissingMs)
{
    /// <summary>Nothing sent again: no turn was open, or the connection is not new.</summary>
    public static ReplayedTurn None { get; } = new([], 0, 0);
}
