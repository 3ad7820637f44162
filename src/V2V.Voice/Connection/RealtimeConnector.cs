using V2V.Realtime.Client;

namespace V2V.Voice.Connection;

/// <summary>
/// Opens one realtime connection. The connection stage opens connections only through this, so tests can hand it
/// a connector that fails as a service does, and the realtime client's factory is named in one place.
/// </summary>
internal delegate Task<RealtimeClient> RealtimeConnector(CancellationToken cancellationToken);

/// <summary>The connector of a session's options: the one place the voice session calls <see cref="RealtimeClient.ConnectAsync"/>.</summary>
internal static class RealtimeConnectors
{
    public static RealtimeConnector For(RealtimeClientOptions options) => ct => RealtimeClient.ConnectAsync(options, ct);
}
