namespace V2V.Voice.Outputs;

/// <summary>
/// What the session tells its reader besides the agent's voice, in order with it: transcripts, flushes, speech
/// boundaries, state changes, errors. Each comes inside a <see cref="VoiceSessionOutput"/>.
/// </summary>
public abstract record VoiceSessionEvent;

/// <summary>Who is speaking in a transcript.</summary>
public enum TranscriptRole
{
    /// <summary>The person.</summary>
    User,

    /// <summary>The agent.</summary>
    Assistant,
}

/// <summary>
/// A piece of transcript. The agent's turn comes as sentences (not final) then one final piece that closes the
/// turn (end of segment); the user's turn as one final piece. An interrupted turn's final piece says so.
/// </summary>
public sealed record TranscriptOutput(TranscriptRole Role, string Text, bool IsFinal, bool EndOfSegment, bool Interrupted, string? ItemId) : VoiceSessionEvent;

/// <summary>
/// The user's spoken turn <paramref name="ItemId"/> is in the conversation and its transcript is still to come
/// (<paramref name="Pending"/> true, at its commit), or will not come after all (false: its transcription failed or
/// found no words, as in the silence an idle timeout commits, it was given up (at most 32 turns are awaited at once), or the connection it was on was replaced). Every turn said pending
/// is followed by its <see cref="TranscriptOutput"/> or by this event with false, unless the session ends first. The service transcribes a turn after it has begun answering it, so its
/// <see cref="TranscriptOutput"/> may come after the answer's: a host that stores turns in the conversation's order
/// holds what comes after a pending turn until its transcript (or this event with false) comes.
/// </summary>
public sealed record UserTranscriptPendingOutput(string ItemId, bool Pending) : VoiceSessionEvent;

/// <summary>Barge-in: drop every frame of the agent's voice not yet played.</summary>
public sealed record FlushOutput(string? InterruptedItemId) : VoiceSessionEvent;

/// <summary>The user started or stopped speaking (as the server's or the local detector heard it): for timelines.</summary>
/// <param name="Started">True at the start of speech, false at its end.</param>
/// <param name="AudioMs">Where in the input (ms since the session's first audio) the boundary lies.</param>
public sealed record UserSpeechOutput(bool Started, double AudioMs) : VoiceSessionEvent;

/// <summary>
/// The user said nothing for <see cref="VoiceSessionOptions.IdleTimeout"/> after the agent's last answer played, and the
/// model is prompting them (server VAD on GA: the service committed the silence as a turn and answers it; otherwise the
/// session asked for the prompt). A host that ends calls nobody speaks in counts these (e.g. hangs up after the second in
/// a row with no <see cref="UserSpeechOutput"/> between).
/// </summary>
/// <param name="ItemId">The user turn the service committed the silence as (the one its answer answers); null when the session's own timer fired (no turn was committed).</param>
/// <param name="SilentFromMs">Where in the input the silence began, as <see cref="UserSpeechOutput.AudioMs"/> counts.</param>
/// <param name="SilentToMs">Where in the input the timeout fired.</param>
public sealed record UserIdleOutput(string? ItemId, double SilentFromMs, double SilentToMs) : VoiceSessionEvent;

/// <summary>The first audio of an answer left the session: how long after the end of the user's speech.</summary>
public sealed record FirstAudioOutput(double LatencyMs, string ItemId) : VoiceSessionEvent;

/// <summary>The session's connection state changed.</summary>
public sealed record StateOutput(VoiceSessionState State, string? Detail) : VoiceSessionEvent;

/// <summary>An error: from the server (recoverable) or fatal (the session ends).</summary>
public sealed record ErrorOutput(string Message, string? Code, bool Fatal) : VoiceSessionEvent
{
    /// <summary>How long the service asks to wait before asking again (a rate limit), when it says.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>The session asks for the failed answer again by itself, after a wait (once per turn of the user).</summary>
    public bool WillRetry { get; init; }
}

/// <summary>The state of a session's connection.</summary>
public enum VoiceSessionState
{
    /// <summary>Connecting for the first time.</summary>
    Connecting,

    /// <summary>Connected and configured.</summary>
    Connected,

    /// <summary>The connection dropped; reconnecting.</summary>
    Reconnecting,

    /// <summary>Stopped (by the caller or a fatal error).</summary>
    Stopped,
}
