using System.Diagnostics;
using Microsoft.Extensions.Logging;
using V2V.Realtime.Client;
using V2V.Voice.Diagnostics;

namespace V2V.Voice;

public sealed partial class VoiceSession
{
    private static readonly TimeSpan RenewalGrace = TimeSpan.FromMinutes(5);
    private long _connectedAt = Stopwatch.GetTimestamp();

    /// <summary>Checks the connection's age now and then, on the actor (so the check sees a consistent state).</summary>
    private async Task WatchConnectionAgeAsync()
    {
        var period = TimeSpan.FromTicks(Math.Clamp(_options.MaxConnectionAge.Ticks / 10, TimeSpan.FromMilliseconds(100).Ticks, TimeSpan.FromSeconds(30).Ticks));
        using var timer = new PeriodicTimer(period);
        try
        {
            while (await timer.WaitForNextTickAsync(_lifetime.Token).ConfigureAwait(false))
            {
                await PostAsync(RenewIfDueAsync, "connection age check").ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async ValueTask RenewIfDueAsync(string reason, CancellationToken ct)
    {
        var age = Stopwatch.GetElapsedTime(Interlocked.Read(ref _connectedAt));
        var quiet = _turns.ActiveResponseId is null && (_playout?.Count ?? 0) == 0 && !_transcript.IsOpen && _pendingToolCalls == 0;
        if (_client is not { IsOpen: true } old || age < _options.MaxConnectionAge || (!quiet && age < _options.MaxConnectionAge + RenewalGrace))
        {
            return;
        }
        _logger.LogInformation("Renewing the realtime connection after {Age}, before the server's session limit", age);
        if (!quiet)
        {
            await BargeInAsync("the connection is being renewed", ct).ConfigureAwait(false);
        }
        lock (_bufferGate)
        {
            _client = null; // the producer buffers the audio of the switch; it goes out first on the new connection
        }
        try
        {
            await ConnectAsync(replay: true, ct).ConfigureAwait(false);
            VoiceMetrics.Reconnects.Add(1, new KeyValuePair<string, object?>("reason", "renewal"));
            await AfterReconnectAsync(ct).ConfigureAwait(false);
        }
        catch (RealtimeException ex)
        {
            _logger.LogWarning("Renewal failed, keeping the old connection: {Reason}", ex.Message);
            lock (_bufferGate)
            {
                _client = old;
            }
            return;
        }
        // Events still in flight from the old connection carry its generation and are dropped by the actor.
        await CloseQuietlyAsync(old).ConfigureAwait(false);
    }
}
