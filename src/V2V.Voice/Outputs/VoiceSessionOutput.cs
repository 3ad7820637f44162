using V2V.Frames;

namespace V2V.Voice.Outputs;

/// <summary>Something the session gives out, in order: audio, transcripts, flushes, tool calls, state changes, errors.</summary>
public abstract record VoiceSessionOutput;

/// <summary>
/// A frame of the agent's voice: pcm16 mono at the configured output rate, released in real time when paced.
/// The reader owns the frame: hand it on (e.g. as a TEN audio frame) or dispose it, which gives its pooled buffer
/// back; after that, reading it throws <see cref="ObjectDisposedException"/>. A frame not disposed is collected.
/// </summary>
/// <param name="Frame">The samples, their rate, the conversation item and where in it the frame ends.</param>
public sealed record AudioOutput(PcmFrame Frame) : VoiceSessionOutput, IDisposable
{
    /// <summary>The samples (little-endian bytes), valid until the frame is disposed.</summary>
    public ReadOnlyMemory<byte> Pcm16 => Frame.Memory;

    /// <summary>The sample rate.</summary>
    public int SampleRate => Frame.SampleRate;

    /// <summary>The conversation item the audio is of.</summary>
    public string ItemId => Frame.ItemId!;

    /// <summary>How far into the item's audio this frame ends, in ms (what a truncate after it would keep).</summary>
    public double ItemEndMs => Frame.ItemEndMs;

    /// <summary>Gives the frame's buffer back (the reader is done with it).</summary>
    public void Dispose() => Frame.Dispose();

    /// <summary>The frame's format and item (no samples); readable after dispose too.</summary>
    public override string ToString() => $"AudioOutput {{ {Frame} }}";
}

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
public sealed record TranscriptOutput(TranscriptRole Role, string Text, bool IsFinal, bool EndOfSegment, bool Interrupted, string? ItemId) : VoiceSessionOutput;

/// <summary>Barge-in: drop every frame of the agent's voice not yet played.</summary>
public sealed record FlushOutput(string? InterruptedItemId) : VoiceSessionOutput;

/// <summary>The user started or stopped speaking (as the server's or the local detector heard it): for timelines.</summary>
/// <param name="Started">True at the start of speech, false at its end.</param>
/// <param name="AudioMs">Where in the input (ms since the session's first audio) the boundary lies.</param>
public sealed record UserSpeechOutput(bool Started, double AudioMs) : VoiceSessionOutput;

/// <summary>The first audio of an answer left the session: how long after the end of the user's speech.</summary>
public sealed record FirstAudioOutput(double LatencyMs, string ItemId) : VoiceSessionOutput;

/// <summary>The session's connection state changed.</summary>
public sealed record StateOutput(VoiceSessionState State, string? Detail) : VoiceSessionOutput;

/// <summary>An error: from the server (recoverable) or fatal (the session ends).</summary>
public sealed record ErrorOutput(string Message, string? Code, bool Fatal) : VoiceSessionOutput
{
    /// <summary>How long the service asks to wait before asking again (a rate limit), when it says.</summary>
    public TimeSpan? RetryAfter { get; init; }
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
