using Microsoft.AspNetCore.Http;
using V2V.Voice;
using V2V.Voice.Outputs;

namespace V2V.AspNetCore;

/// <summary>
/// How <see cref="VoiceAgentEndpointRouteBuilderExtensions.MapVoiceAgent"/> serves its sockets. The voice sessions' own
/// settings (key, endpoint, model, voice, turn mode ...) are the registered <see cref="VoiceSessionOptions"/>
/// (<c>services.AddVoiceSessions()</c>); <see cref="ConfigureSession"/> changes them per socket.
/// </summary>
public sealed class VoiceAgentEndpointOptions
{
    /// <summary>
    /// Called for each socket after its <c>start</c>, before its session starts: the place for what depends on the
    /// user (<see cref="HttpContext.User"/>): their instructions, tools, greeting, conversation so far. Throwing refuses
    /// the session (<c>error</c> <c>start_failed</c> with the exception's message: say nothing secret in it).
    /// </summary>
    public Func<HttpContext, VoiceSessionOptions, CancellationToken, ValueTask>? ConfigureSession { get; set; }

    /// <summary>
    /// Called once the socket's session has started, before the page is told <c>ready</c>: the place to keep the session
    /// for what the app does to it from elsewhere (<see cref="VoiceSession.UpdateInstructionsAsync"/>,
    /// <see cref="VoiceSession.RegisterToolAsync"/>). Throwing refuses the session as <see cref="ConfigureSession"/> does.
    /// </summary>
    public Func<HttpContext, VoiceSession, CancellationToken, ValueTask>? OnSessionStarted { get; set; }

    /// <summary>
    /// Called with each event of the session (transcripts, flushes, state, errors, MCP calls; not the voice), in order,
    /// before it goes to the page: the place to store the conversation or to count. It runs on the session's way out to
    /// the page, so the voice waits for it: keep it short (queue slow work). What it throws is logged and the session
    /// goes on.
    /// </summary>
    public Func<HttpContext, VoiceSessionEvent, CancellationToken, ValueTask>? OnEvent { get; set; }

    /// <summary>Sessions at once, over every socket of this endpoint; one more is refused (<c>full</c>, close 1013). Default 100.</summary>
    public int MaxSessions { get; set; } = 100;

    /// <summary>
    /// Origins other than the request's own whose pages may open a socket (<c>https://app.example.com</c>). A browser
    /// always sends its page's <c>Origin</c> on a WebSocket, and WebSockets are not bound by CORS: without this check
    /// any site open in the user's browser could talk to the agent with the user's cookie. Empty by default.
    /// </summary>
    public IList<string> AllowedOrigins { get; } = [];

    /// <summary>How long a socket may take to send <c>start</c>. Default 15 s.</summary>
    public TimeSpan StartTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>A send to the page that takes longer than this ends the session (the page stopped reading). Default 10 s.</summary>
    public TimeSpan SendTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Whether a page may give the agent tools it runs itself (<c>tools</c> in <c>start</c>; in the browser client, the
    /// <c>tools</c> option): the agent's calls go to the page as <c>tool_call</c> and its <c>tool_result</c> is the output,
    /// within the session's <c>ToolTimeout</c>. Such a tool runs in the user's browser and can do nothing the user could
    /// not; <see cref="ConfigureSession"/> sees them among the session's tools (and may take them out). A page's tool may
    /// not take the name of one of the app's. Default true; false refuses a page that gives tools (<c>bad_start</c>).
    /// </summary>
    public bool AllowPageTools { get; set; } = true;

    /// <summary>
    /// How long a session waits for its page to come back after the page's socket was lost without a close (a phone
    /// changing networks, a laptop waking): the browser client opens another socket and resumes the conversation on it
    /// (<c>resume</c>). Meanwhile the session holds its slot of <see cref="MaxSessions"/>, its answer in progress is cut
    /// where the listener was, and its events are kept for the page. A page that closes its socket, or sends
    /// <c>stop</c>, ends its session at once. Default 30 s; <see cref="TimeSpan.Zero"/>: a lost socket ends its session.
    /// </summary>
    public TimeSpan ResumeWindow { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How often the server pings a page's socket; a page that answers none for as long again is taken as lost (and may
    /// resume). Without it a page whose network vanished silently would hold its session until TCP gives up. Default
    /// 15 s; <see cref="TimeSpan.Zero"/>: no pings.
    /// </summary>
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>The checks of <see cref="VoiceAgentEndpointRouteBuilderExtensions.MapVoiceAgent"/>, each setting named.</summary>
    internal void Validate()
    {
        if (MaxSessions < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxSessions), MaxSessions, $"{nameof(MaxSessions)} must be at least 1.");
        }
        if (StartTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(StartTimeout), StartTimeout, $"{nameof(StartTimeout)} must be positive.");
        }
        if (SendTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(SendTimeout), SendTimeout, $"{nameof(SendTimeout)} must be positive.");
        }
        if (ResumeWindow < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(ResumeWindow), ResumeWindow, $"{nameof(ResumeWindow)} must be zero (sessions are not resumed) or positive.");
        }
        if (KeepAliveInterval < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(KeepAliveInterval), KeepAliveInterval, $"{nameof(KeepAliveInterval)} must be zero (no pings) or positive.");
        }
        foreach (var origin in AllowedOrigins)
        {
            if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.PathAndQuery != "/" || origin.EndsWith('/'))
            {
                throw new ArgumentException($"{nameof(AllowedOrigins)} holds '{origin}', which is not an origin: give scheme, host and port only, as a browser sends it (https://app.example.com).", nameof(AllowedOrigins));
            }
        }
    }
}
