using V2V.Realtime.Client;
using V2V.Realtime.Protocol;
using V2V.Voice.Input;

namespace V2V.Voice.Connection;

/// <summary>What the connection stage asks of the session that owns it.</summary>
internal interface IConnectionOwner
{
    /// <summary>
    /// Configures a new connection (and, after a reconnect or renewal, replays the conversation). Called while the
    /// session's actor is not yet running or is waiting for this connection, so it may touch the actor's state.
    /// </summary>
    Task ConfigureAsync(IRealtimeConnection client, bool replay, CancellationToken ct);

    /// <summary>
    /// A new connection went live (the producer's audio goes to it); it was sent the user's unanswered turn again
    /// (<paramref name="replayed"/>; none when its length is 0) and the audio kept meanwhile, ahead of live audio. Called
    /// before <see cref="ConnectedAsync"/>, while the actor is not handling events; never for a connection that failed
    /// before going live (the old one goes on).
    /// </summary>
    void WentLive(ReplayedTurn replayed);

    /// <summary>The configured connection is live (the producer's audio goes to it).</summary>
    ValueTask ConnectedAsync(string endpoint, CancellationToken ct);

    /// <summary>A server event of connection <paramref name="generation"/>, in order.</summary>
    ValueTask DeliverAsync(int generation, RealtimeServerEvent serverEvent, CancellationToken ct);

    /// <summary>
    /// The live connection ended. Queued behind that connection's events; the session finishes what was in flight
    /// and then ends (<see cref="ConnectionLoss.FatalError"/>) or waits for the reconnect's outcome. False when the
    /// session has stopped taking work.
    /// </summary>
    ValueTask<bool> ConnectionLostAsync(ConnectionLoss loss, CancellationToken ct);

    /// <summary>The renewal plan says to look at the connection now; the session answers, on its actor, with <see cref="ConnectionSupervisor.CheckRenewal"/>.</summary>
    void RenewalDue();
}

/// <summary>
/// A lost connection, told to the session: why; the fatal error when the session must end; otherwise
/// <see cref="Parked"/> (set once the session waits) and <see cref="Outcome"/> (null once reconnected, else the one
/// fatal error that ends the session).
/// </summary>
internal sealed record ConnectionLoss(string Reason, string? FatalError, TaskCompletionSource Parked, Task<string?> Outcome);
