namespace V2V.Voice;

/// <summary>Who decides that the user has finished speaking.</summary>
public enum TurnMode
{
    /// <summary>The server's voice activity detection (threshold, prefix padding, silence duration). The default.</summary>
    ServerVad = 0,

    /// <summary>The server's semantic turn detection, with an eagerness.</summary>
    SemanticVad = 1,

    /// <summary>A local voice activity detector (Silero VAD) ends turns: commit and response.create; speech interrupts the agent.</summary>
    LocalVad = 2,

    /// <summary>The caller ends each turn with <see cref="VoiceSession.EndTurnAsync"/>.</summary>
    Manual = 3,
}
