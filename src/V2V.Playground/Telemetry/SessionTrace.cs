using System.Diagnostics;
using V2V.Playground.Backend;

namespace V2V.Playground.Telemetry;

/// <summary>
/// The spans of one browser session: the session's, and the open turn's under it. Turns begin on the page's reader
/// (typed text) or the graph's (speech ended) and end on the graph's, so a small lock orders them; once per turn, not
/// per frame. Nothing here when no one listens to <see cref="SessionTracing.SourceName"/>.
/// </summary>
internal sealed class SessionTrace : IDisposable
{
    private readonly Lock _lock = new();
    private readonly Activity? _session;
    private Activity? _turn;
    private int _turns;
    private int _interrupted;

    public SessionTrace(string sessionId, BackendInfo backend)
    {
        // A trace of its own, linked to the WebSocket's HTTP request: a session lasts minutes, and the request's span
        // (when one exists and is not recorded) would otherwise decide, as the parent, that this one is not sampled either.
        var request = Activity.Current;
        Activity.Current = null;
        _session = SessionTracing.Source.StartActivity("v2v.session", ActivityKind.Server, default(ActivityContext),
            links: request is null ? null : [new ActivityLink(request.Context)]);
        if (_session is null)
        {
            Activity.Current = request;
        }
        _session?.SetTag("v2v.session.id", sessionId)
            .SetTag("gen_ai.provider.name", backend.Kind switch { "azure" => "azure.ai.openai", "local" => "v2v.local", _ => "openai" })
            .SetTag("gen_ai.request.model", backend.Model)
            .SetTag("server.address", backend.Endpoint);
    }

    /// <summary>The session's settings, once its start message is read.</summary>
    public void Started(string voice, string turnMode, int sampleRate) =>
        _session?.SetTag("v2v.voice", voice).SetTag("v2v.turn_mode", turnMode).SetTag("v2v.input.sample_rate", sampleRate);

    /// <summary>The user has finished a turn (<c>speech</c> or <c>text</c>): the agent's turn begins.</summary>
    public void UserTurnEnded(string trigger)
    {
        if (_session is null)
        {
            return;
        }
        lock (_lock)
        {
            _turn?.Stop(); // an answer that never came: the new turn replaces it
            var previous = Activity.Current;
            _turn = SessionTracing.Source.StartActivity("v2v.turn", ActivityKind.Internal, _session.Context);
            Activity.Current = previous; // the turn is not the ambient span of whoever reported it
            _turn?.SetTag("v2v.session.id", _session.GetTagItem("v2v.session.id")).SetTag("v2v.turn.index", ++_turns).SetTag("v2v.turn.trigger", trigger);
        }
    }

    /// <summary>The agent's first audio of the turn.</summary>
    public void FirstAudio(double latencyMs)
    {
        lock (_lock)
        {
            _turn?.SetTag("v2v.time_to_first_audio", latencyMs / 1000);
        }
    }

    /// <summary>The agent's turn is over: its last words, or cut by a barge-in.</summary>
    public void AgentTurnEnded(bool interrupted)
    {
        lock (_lock)
        {
            if (_turn is null)
            {
                return;
            }
            _interrupted += interrupted ? 1 : 0;
            _turn.SetTag("v2v.turn.interrupted", interrupted).Stop();
            _turn = null;
        }
    }

    /// <summary>The session is over, for this reason; an error reason marks the span so.</summary>
    public void Ended(string reason, bool failed)
    {
        lock (_lock)
        {
            _turn?.Stop();
            _turn = null;
        }
        _session?.SetTag("v2v.session.end_reason", reason).SetTag("v2v.session.turns", _turns).SetTag("v2v.session.interruptions", _interrupted);
        if (failed)
        {
            _session?.SetStatus(ActivityStatusCode.Error, reason);
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _turn?.Stop();
        }
        _session?.Stop();
    }
}
