using System.Diagnostics.Metrics;

namespace V2V.Voice.Diagnostics;

/// <summary>
/// The session's metrics (System.Diagnostics.Metrics, meter <c>V2V.Voice</c>), ready for OpenTelemetry. Built from an
/// <see cref="IMeterFactory"/>: a session measures on the factory of <see cref="VoiceSessionOptions.MeterFactory"/> (a
/// host's, or a test's own, so that its listener sees that session's measurements only), or on the process's.
/// </summary>
public sealed class VoiceMetrics
{
    /// <summary>The meter name to listen to.</summary>
    public const string MeterName = "V2V.Voice";

    private static readonly Lazy<VoiceMetrics> ProcessWide = new(() => new VoiceMetrics(ProcessMeterFactory.Instance));

    /// <summary>Creates the instruments on the meter <see cref="MeterName"/> of <paramref name="meterFactory"/>.</summary>
    public VoiceMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(new MeterOptions(MeterName) { Version = "0.1.0" });
        // OpenTelemetry's semantic conventions: durations in seconds, counts in {units}, and GenAI's own instrument for
        // tokens (gen_ai.client.token.usage, a histogram per response with gen_ai.token.type input or output).
        ConnectTime = meter.CreateHistogram<double>("v2v.connection.duration", "s", "Time to open and configure the realtime connection");
        TimeToFirstAudio = meter.CreateHistogram<double>("v2v.time_to_first_audio", "s", "End of user speech to first audio out");
        TurnLength = meter.CreateHistogram<double>("v2v.turn.audio.duration", "s", "Audio length of an agent turn");
        Interruptions = meter.CreateCounter<long>("v2v.interruptions", "{interruption}", "Agent turns interrupted by the user");
        FramesDropped = meter.CreateCounter<long>("v2v.frames_dropped", "{frame}", "Audio frames dropped (attribute reason)");
        Reconnects = meter.CreateCounter<long>("v2v.reconnections", "{reconnection}", "Reconnections after a dropped connection");
        Tokens = meter.CreateHistogram<long>("gen_ai.client.token.usage", "{token}", "Tokens used per response (attribute gen_ai.token.type: input or output)");
    }

    /// <summary>Time to connect and configure a session, in seconds.</summary>
    public Histogram<double> ConnectTime { get; }

    /// <summary>From the end of the user's speech to the first audio frame of the answer, in seconds.</summary>
    public Histogram<double> TimeToFirstAudio { get; }

    /// <summary>Length of the agent's spoken turns, in seconds of audio.</summary>
    public Histogram<double> TurnLength { get; }

    /// <summary>Barge-ins.</summary>
    public Counter<long> Interruptions { get; }

    /// <summary>Audio frames dropped, by reason.</summary>
    public Counter<long> FramesDropped { get; }

    /// <summary>Reconnections.</summary>
    public Counter<long> Reconnects { get; }

    /// <summary>Tokens used, from each response.done (attribute <c>gen_ai.token.type</c>: input or output).</summary>
    public Histogram<long> Tokens { get; }

    /// <summary>The metrics of a session with these options: on its meter factory, else the process's (one set for every such session).</summary>
    internal static VoiceMetrics For(VoiceSessionOptions options) =>
        options.MeterFactory is { } factory ? new VoiceMetrics(factory) : ProcessWide.Value;
}
