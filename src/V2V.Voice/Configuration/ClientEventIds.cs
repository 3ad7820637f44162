namespace V2V.Voice.Configuration;

/// <summary>
/// Event ids for the client events whose refusal the session must recognise: the service names the <c>event_id</c> of
/// the request it refuses in its <c>error</c>. Unique within a session (a counter), with the kind for the logs.
/// </summary>
internal sealed class ClientEventIds
{
    private long _next;

    public string Next(string kind) => $"v2v_{kind}_{Interlocked.Increment(ref _next)}";
}
