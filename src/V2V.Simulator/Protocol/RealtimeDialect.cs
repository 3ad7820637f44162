namespace V2V.Simulator.Protocol;

/// <summary>The two dialects of the OpenAI Realtime wire protocol.</summary>
public enum RealtimeDialect
{
    /// <summary>The generally available protocol (the default when no <c>OpenAI-Beta</c> header is sent).</summary>
    Ga,

    /// <summary>The beta protocol, selected by the header <c>OpenAI-Beta: realtime=v1</c> (the dialect of the original extension).</summary>
    Beta,
}
