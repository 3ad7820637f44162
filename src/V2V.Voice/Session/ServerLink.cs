using Microsoft.Extensions.Logging;
using V2V.Realtime.Client;
using V2V.Realtime.Protocol;
using V2V.Voice.Connection;

namespace V2V.Voice.Session;

/// <summary>
/// The connection stage as the session's other stages see it. The stage is attached once, after the session's parts
/// are built: it calls back into them (<see cref="IConnectionOwner"/>) as they send through it, and this is where
/// that circle is closed.
/// </summary>
internal sealed class ServerLink(ILogger logger)
{
    private ConnectionSupervisor? _connection;

    public ConnectionSupervisor Connection => _connection ?? throw new InvalidOperationException("The connection stage is not attached yet.");

    /// <summary>The live connection (null while there is none).</summary>
    public IRealtimeConnection? Live => _connection?.Live;

    public bool IsOpen => Live is { IsOpen: true };

    public void Attach(ConnectionSupervisor connection)
    {
        if (_connection is not null)
        {
            throw new InvalidOperationException("The connection stage is attached already.");
        }
        _connection = connection;
    }

    /// <summary>Sends a client event on the current connection; while disconnected it is dropped (the reconnect re-sends the configuration).</summary>
    public async ValueTask SendAsync(RealtimeClientEvent clientEvent, CancellationToken ct)
    {
        var client = Live;
        if (client is null || !client.IsOpen)
        {
            logger.LogDebug("Not connected: {Type} not sent", clientEvent.Type);
            return;
        }
        try
        {
            await client.SendAsync(clientEvent, ct).ConfigureAwait(false);
        }
        catch (RealtimeException ex)
        {
            // The reader notices the broken connection too, and reconnects.
            logger.LogDebug(ex, "{Type} not sent: the connection is closing", clientEvent.Type);
        }
    }
}
