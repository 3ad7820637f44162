using System.Diagnostics.Metrics;

namespace V2V.AspNetCore;

/// <summary>
/// The endpoint's metrics (meter <c>V2V.AspNetCore</c>, on the app's <see cref="IMeterFactory"/>, ready for
/// OpenTelemetry): the sessions running, and the sockets refused by reason, the figures to scale by. Each session's own
/// metrics (time to first audio, interruptions, reconnections) are the voice session's (meter <c>V2V.Voice</c>).
/// </summary>
internal sealed class VoiceAgentMetrics
{
    public const string MeterName = "V2V.AspNetCore";

    public VoiceAgentMetrics(IMeterFactory? meterFactory, string pattern)
    {
        // Without the app's factory (a host built without metrics), a meter of its own: the instruments still work.
        var meter = meterFactory?.Create(new MeterOptions(MeterName) { Version = "0.1.0" }) ?? new Meter(MeterName, "0.1.0");
        _endpoint = new KeyValuePair<string, object?>("v2v.endpoint", pattern);
        _active = meter.CreateUpDownCounter<long>("v2v.voice_agent.sessions.active", "{session}", "Voice sessions running on the endpoint's sockets");
        _refused = meter.CreateCounter<long>("v2v.voice_agent.sockets.refused", "{socket}", "Sockets refused (attribute reason: full, bad_start, start_timeout, start_failed, origin, resume_failed)");
        _resumes = meter.CreateCounter<long>("v2v.voice_agent.pages.lost", "{loss}", "Pages whose socket was lost without a close (attribute outcome: resumed, the page came back within the resume window; expired, it did not)");
    }

    private readonly KeyValuePair<string, object?> _endpoint;
    private readonly UpDownCounter<long> _active;
    private readonly Counter<long> _refused;
    private readonly Counter<long> _resumes;

    public void SessionStarted() => _active.Add(1, _endpoint);

    public void SessionEnded() => _active.Add(-1, _endpoint);

    public void Resume(string outcome) => _resumes.Add(1, _endpoint, new KeyValuePair<string, object?>("outcome", outcome));

    public void Refused(string reason) => _refused.Add(1, _endpoint, new KeyValuePair<string, object?>("reason", reason));
}
