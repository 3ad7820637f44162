namespace V2V.Playground.Sessions;

/// <summary>What a page is told when its server drains: the notice when the drain begins, the close reason at its deadline.</summary>
internal static class DrainNotice
{
    /// <summary>The close reason (1001, going away) of a session ended by the drain's deadline.</summary>
    public const string Ended = "the server is shutting down";

    public static string Text(TimeSpan? timeout) =>
        $"This server is shutting down: it takes no new sessions. This one goes on for at most {(timeout ?? TimeSpan.Zero).TotalSeconds:0} s more; finish your conversation.";
}
