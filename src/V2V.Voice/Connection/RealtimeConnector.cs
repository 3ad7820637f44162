using V2V.Realtime.Client;

namespace V2V.Voice.Connection;

/// <summary>
/// Opens one realtime connection. The connection stage opens connections only through this, so tests can hand it
/// a connector that fails as a service does, and the realtime client's factory is named in one place.
/// </summary>
internal delegate Task<IRealtimeConnection> RealtimeConnector(CancellationToken cancellationToken);

/// <summary>The connector of a session: the one place the voice session calls <see cref="RealtimeClient.ConnectAsync"/>.</summary>
internal static class RealtimeConnectors
{
    /// <summary>
    /// Every connection of a session comes from one client, built (and its options checked, a deprecated endpoint
    /// warned about) once, not at each reconnect.
    /// </summary>
    public static RealtimeConnector For(RealtimeClient client) => client.ConnectAsync;
}
