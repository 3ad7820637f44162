namespace V2V.Simulator;

/// <summary>
/// The local realtime server a process embeds when a session has no API key: one for the whole process, shared
/// by every session, started on first use on a free loopback port. The composition roots (the CLI, the
/// playground, a user's host) own it and hand its address to whoever needs a key-less endpoint. It logs nothing:
/// it outlives whoever started it, so it cannot hold on to their logger.
/// </summary>
public static class EmbeddedRealtimeServer
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static LocalRealtimeServer? _server;

    /// <summary>The server's base URI (ws://127.0.0.1:PORT), starting it if needed.</summary>
    public static async Task<Uri> GetAsync(CancellationToken cancellationToken = default)
    {
        await Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _server ??= await LocalRealtimeServer.StartAsync(new LocalRealtimeServerOptions(), cancellationToken).ConfigureAwait(false);
            return _server.BaseUri;
        }
        finally
        {
            Gate.Release();
        }
    }
}
