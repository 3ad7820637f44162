using System.Net.WebSockets;
using Microsoft.Extensions.Logging;

namespace V2V.Simulator.Session;

/// <summary>
/// The session's maximum duration, as the services enforce it (60 minutes OpenAI, 30 Azure): at
/// <c>expires_at</c> the session ends with <c>session_expired</c> and close 1001. The timer runs on the options'
/// <see cref="TimeProvider"/>, so tests can expire a session without waiting, and it acts through the gate, so
/// the end never interleaves with another send.
/// </summary>
internal sealed partial class RealtimeSession
{
    private readonly TimeSpan _lifetime;
    private readonly DateTimeOffset _expiresAt;
    private ITimer? _lifetimeTimer;

    /// <summary>Arms the expiry for <see cref="_expiresAt"/> (set when the session was created, and reported in <c>expires_at</c>).</summary>
    private void StartLifetime()
    {
        var clock = _options.TimeProvider;
        var due = _expiresAt - clock.GetUtcNow();
        _lifetimeTimer = clock.CreateTimer(static state => _ = ((RealtimeSession)state!).ExpireAsync(), this, due < TimeSpan.Zero ? TimeSpan.Zero : due, Timeout.InfiniteTimeSpan);
    }

    private void StopLifetime() => _lifetimeTimer?.Dispose();

    private async Task ExpireAsync()
    {
        try
        {
            _logger.LogInformation("Session {Session} expired after {Lifetime}", _config.Id, _lifetime);
            var error = SessionExpiry.Error(_lifetime);
            await UnderGateAsync(() => EndUnderGateAsync(error, WebSocketCloseStatus.EndpointUnavailable, error.Message)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or ObjectDisposedException or InvalidOperationException)
        {
            // The session ended meanwhile (client gone, server stopping): nothing left to expire.
            _logger.LogDebug("Session {Session} ended before its expiry could be sent: {Reason}", _config.Id, e.Message);
        }
    }
}
