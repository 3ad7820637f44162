namespace V2V.Simulator;

/// <summary>How the local realtime server paces the audio of its answers.</summary>
public enum ResponsePace
{
    /// <summary>As OpenAI's service does: faster than real time, the whole answer sent long before it is heard.</summary>
    Service,

    /// <summary>At most <see cref="LocalRealtimeServerOptions.AudioLeadMs"/> ahead of real time.</summary>
    RealTime,
}
