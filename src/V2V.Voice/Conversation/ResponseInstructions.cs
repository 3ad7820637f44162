namespace V2V.Voice.Conversation;

/// <summary>
/// The instructions of an answer this side asks for (the greeting, an idle prompt). A response's instructions replace
/// the session's for that answer, so the ask goes after the session's own: the agent stays who it is (its persona,
/// its language, its rules) while it does what is asked.
/// </summary>
internal static class ResponseInstructions
{
    /// <param name="session">The session's instructions of now (null or empty: none).</param>
    /// <param name="ask">What this one answer is to do.</param>
    public static string AfterSession(string? session, string ask) =>
        string.IsNullOrWhiteSpace(session) ? ask : $"{session}\n\n{ask}";
}
