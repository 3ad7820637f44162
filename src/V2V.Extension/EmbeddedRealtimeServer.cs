using V2V.Simulator;

namespace V2V.Extension;

/// <summary>
/// The local realtime server this process starts when an extension has no API key: one for the whole
/// process, shared by every session, started on first use on a free loopback port. It logs nothing: it
/// outlives whoever started it, so it cannot hold on to their logger.
/// </summary>
public static class EmbeddedRealtimeServer
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static LocalRealtimeServer? _server;

    /// <summary>The server's base URI (ws://127.0.0.1:PORT), starting it if needed.</summary>
    public static async Task<Uri> GetAsync(CancellationToken cancellationToken)
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
