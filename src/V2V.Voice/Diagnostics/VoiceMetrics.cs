using System.Diagnostics.Metrics;

namespace V2V.Voice.Diagnostics;

/// <summary>The session's metrics (System.Diagnostics.Metrics, meter <c>V2V.Voice</c>), ready for OpenTelemetry.</summary>
public static class VoiceMetrics
{
    /// <summary>The meter name to listen to.</summary>
    public const string MeterName = "V2V.Voice";

    private static readonly Meter Meter = new(MeterName, "0.1.0");

    /// <summary>Time to connect and configure a session, in ms.</summary>
    public static readonly Histogram<double> ConnectTime = Meter.CreateHistogram<double>("v2v.connect_time", "ms", "Time to open and configure the realtime connection");

    /// <summary>From the end of the user's speech to the first audio frame of the answer, in ms.</summary>
    public static readonly Histogram<double> TimeToFirstAudio = Meter.CreateHistogram<double>("v2v.time_to_first_audio", "ms", "End of user speech to first audio out");

    /// <summary>Length of the agent's spoken turns, in ms of audio.</summary>
    public static readonly Histogram<double> TurnLength = Meter.CreateHistogram<double>("v2v.turn_length", "ms", "Audio length of an agent turn");

    /// <summary>Barge-ins.</summary>
    public static readonly Counter<long> Interruptions = Meter.CreateCounter<long>("v2v.interruptions", description: "Agent turns interrupted by the user");

    /// <summary>Audio frames dropped, by reason.</summary>
    public static readonly Counter<long> FramesDropped = Meter.CreateCounter<long>("v2v.frames_dropped", description: "Audio frames dropped (tag reason)");

    /// <summary>Reconnections.</summary>
    public static readonly Counter<long> Reconnects = Meter.CreateCounter<long>("v2v.reconnects", description: "Reconnections after a dropped connection");

    /// <summary>Tokens used, from response.done (tag kind: input or output).</summary>
    public static readonly Counter<long> Tokens = Meter.CreateCounter<long>("v2v.tokens", description: "Tokens used (tag kind)");
}
