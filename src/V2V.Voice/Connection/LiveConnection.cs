using V2V.Realtime.Client;
using V2V.Realtime.Protocol;
using V2V.Realtime.Protocol.Models;
using V2V.Realtime.Protocol.ServerEvents;

namespace V2V.Voice.Connection;

/// <summary>One open connection: its generation, when it opened, when its session expires, and how it ended.</summary>
internal sealed class LiveConnection(IRealtimeConnection client, int generation, DateTimeOffset connectedAt)
{
    private readonly TaskCompletionSource<ConnectionEnd> _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _retired;
    private long _expiresAtTicks;

    public IRealtimeConnection Client => client;

    public int Generation => generation;

    public DateTimeOffset ConnectedAt => connectedAt;

    /// <summary>When the service ends this connection's session, as its <c>expires_at</c> said (null until it says).</summary>
    public DateTimeOffset? ExpiresAt => Interlocked.Read(ref _expiresAtTicks) is var t and > 0 ? new DateTimeOffset(t, TimeSpan.Zero) : null;

    /// <summary>Replaced on purpose (a renewal): its end is no loss.</summary>
    public bool Retired
    {
        get => _retired;
        set => _retired = value;
    }

    public Task<ConnectionEnd> Ended => _ended.Task;

    /// <summary>
    /// Reads the server's events to <paramref name="owner"/> until the connection ends, noting on the way the last
    /// error (the services say why before they close) and the session's <c>expires_at</c>, and showing each event to
    /// <paramref name="note"/> first (the user's turn opened or answered: what a new connection must be sent again).
    /// </summary>
    public async Task PumpAsync(IConnectionOwner owner, Action<LiveConnection> expiryKnown, Action<IRealtimeConnection, RealtimeServerEvent> note, TimeProvider time, CancellationToken ct)
    {
        Exception? error = null;
        string? code = null, message = null;
        try
        {
            await foreach (var serverEvent in client.ReadEventsAsync(ct).ConfigureAwait(false))
            {
                switch (serverEvent)
                {
                    case ErrorEvent e:
                        (code, message) = (e.Error.Code, e.Error.Message);
                        break;
                    case SessionCreatedEvent created when NoteExpiry(created.Session, time.GetUtcNow()):
                    case SessionUpdatedEvent updated when NoteExpiry(updated.Session, time.GetUtcNow()):
                        expiryKnown(this);
                        break;
                }
                note(client, serverEvent);
                await owner.DeliverAsync(generation, serverEvent, ct).ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            // Whatever ended the reading (a drop, stopping, a fault of this side), the stage must hear of the end.
            error = ex;
        }
        _ended.TrySetResult(new ConnectionEnd(error, (int?)client.CloseStatus, client.CloseStatusDescription, code, message));
    }

    /// <summary>Takes a plausible <c>expires_at</c> (Unix seconds, later than the connection opened, within a day); true when it changed.</summary>
    private bool NoteExpiry(RealtimeSession? session, DateTimeOffset now)
    {
        if (session?.ExpiresAt is not { } seconds || seconds <= 0)
        {
            return false;
        }
        var expiresAt = DateTimeOffset.FromUnixTimeSeconds(seconds);
        // A clock far from the service's would plan nonsense; the configured age is then the better guide.
        if (expiresAt <= now || expiresAt - now > TimeSpan.FromDays(1) || ExpiresAt == expiresAt)
        {
            return false;
        }
        Interlocked.Exchange(ref _expiresAtTicks, expiresAt.UtcTicks);
        return true;
    }
}
