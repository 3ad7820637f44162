using System.Net.WebSockets;
using Microsoft.Extensions.Logging;

namespace V2V.Simulator.Session;

/// <summary>
/// A connection's network drop at a random moment (<see cref="LocalRealtimeServerFaults.DropMeanSeconds"/>): the socket
/// aborted without a close handshake, as a network that fails does, at a moment of wall time (the clock answers are
/// paced on), whatever the session is doing.
/// </summary>
internal sealed class TimedDrop(WebSocket socket, CancellationTokenSource session, ILogger logger) : IDisposable
{
    private ITimer? _timer;

    /// <summary>Arms the drop after <paramref name="after"/> (null: never).</summary>
    public void Start(TimeSpan? after)
    {
        if (after is { } due)
        {
            _timer = TimeProvider.System.CreateTimer(static state => ((TimedDrop)state!).Drop(), this, due, Timeout.InfiniteTimeSpan);
        }
    }

    private void Drop()
    {
        logger.LogInformation("Fault: dropping the connection (timed)");
        socket.Abort(); // safe beside a send or a receive in progress: both end with an exception the session handles
        try
        {
            session.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The session ended first.
        }
    }

    public void Dispose() => _timer?.Dispose();
}
