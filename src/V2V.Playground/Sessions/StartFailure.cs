using V2V.Realtime.Client;

namespace V2V.Playground.Sessions;

/// <summary>
/// The one line a session that could not start shows on the page and in the log. A refused key is said in the
/// host's words (which variable to set), after the service's own reason; anything else as the graph reported it.
/// </summary>
internal static class StartFailure
{
    /// <param name="error">What starting the graph threw.</param>
    /// <param name="refusedKeyFix">What to do about a refused key (<see cref="PlaygroundOptions.RefusedKeyFix"/>).</param>
    public static string Describe(Exception error, string refusedKeyFix)
    {
        for (var cause = error; cause is not null; cause = cause.InnerException)
        {
            if (cause is RealtimeAuthenticationException refused)
            {
                return $"The session could not start: the realtime service refused the API key ({refused.StatusAndReason}). {refusedKeyFix}";
            }
            if (cause is RealtimeHandshakeException { Attempts: > 1 } retried)
            {
                return $"The session could not start: {error.Message} (tried {retried.Attempts} times)";
            }
        }
        return $"The session could not start: {error.Message}";
    }
}
