namespace V2V.Audio;

/// <summary>What a <see cref="VoiceActivityEvent"/> reports.</summary>
public enum VoiceActivityEventKind
{
    /// <summary>Speech began (after it lasted the minimum speech duration; the position is where it began).</summary>
    SpeechStarted,

    /// <summary>Speech ended (after the minimum silence; the position is where the silence began, plus padding).</summary>
    SpeechEnded,
}
