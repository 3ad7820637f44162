using Microsoft.Extensions.Logging;
using V2V.Realtime.Client;
using V2V.Realtime.Protocol;
using V2V.Realtime.Protocol.ClientEvents;
using V2V.Realtime.Protocol.Models;
using V2V.Voice.Configuration;
using V2V.Voice.Connection;
using V2V.Voice.Outputs;

namespace V2V.Voice;

/// <summary>The session's side of the connection stage (<see cref="ConnectionSupervisor"/>): what a new connection is told, and what a lost one means for the conversation.</summary>
public sealed partial class VoiceSession : IConnectionOwner
{
    private const string ReanchorText =
        "The connection to the conversation was re-established. The messages above are the conversation so far; " +
        "continue it naturally from where it left off, without greeting the user again.";

    async Task IConnectionOwner.ConfigureAsync(IRealtimeConnection client, bool replay, CancellationToken ct)
    {
        _turns.OnNewConnection();
        // Its event id is how a refusal is recognised: the service's error names it.
        var update = new SessionUpdateEvent { Session = SessionConfiguration.Build(_options, _tools), EventId = _eventIds.Next("configure") };
        _configureAnswer.Sent(update.EventId!);
        await client.SendAsync(update, ct).ConfigureAwait(false);
        TakeHeardTurns();
        if (replay && _history.Items.Count > 0)
        {
            foreach (var item in _history.Items)
            {
                await client.SendAsync(new ConversationItemCreateEvent { Item = item }, ct).ConfigureAwait(false);
            }
            await client.SendAsync(new ConversationItemCreateEvent { Item = RealtimeConversationItem.SystemText(ReanchorText) }, ct).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// After the first connection is configured: waits (bounded by the connect timeout, wall-clock: a guard against a
    /// silent service) for the service to accept the update, and throws its refusal. A connection that ends first is
    /// left to the connection stage: the reconnect's update is checked like any other.
    /// </summary>
    private async Task WaitForConfigurationAsync(CancellationToken ct)
    {
        using var guard = CancellationTokenSource.CreateLinkedTokenSource(ct);
        guard.CancelAfter(_options.Connection.ConnectTimeout);
        var ended = _connection.LiveEnded ?? Task.Delay(Timeout.Infinite, guard.Token);
        var answer = _configureAnswer.Answer;
        try
        {
            await Task.WhenAny(answer, ended).WaitAsync(guard.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new TimeoutException(
                $"The realtime service did not answer the session configuration (session.update) within {_options.Connection.ConnectTimeout.TotalSeconds:0} s "
                + $"({nameof(RealtimeClientOptions.ConnectTimeout)}).");
        }
        if (answer.IsCompleted && await answer.ConfigureAwait(false) is { } refused)
        {
            throw ConfigurationRefusal.Exception(refused);
        }
        Volatile.Write(ref _configurationConfirmed, 1);
    }

    ValueTask IConnectionOwner.ConnectedAsync(string endpoint, CancellationToken ct)
    {
        State = VoiceSessionState.Connected;
        return EmitAsync(new StateOutput(VoiceSessionState.Connected, endpoint), ct);
    }

    ValueTask IConnectionOwner.DeliverAsync(int generation, RealtimeServerEvent serverEvent, CancellationToken ct) =>
        DeliverServerEventAsync(generation, serverEvent, ct);

    ValueTask<bool> IConnectionOwner.ConnectionLostAsync(ConnectionLoss loss, CancellationToken ct) =>
        _mailbox.PostEventAsync(new ConnectionLostWork(loss), ct);

    void IConnectionOwner.RenewalDue() => _ = PostRenewalCheckAsync();

    /// <summary>
    /// On the actor, after the lost connection's last events: finish what was in flight, then end (fatal) or wait while
    /// the stage reconnects (it configures the new connection from this state meanwhile, so the actor must not run).
    /// </summary>
    private async ValueTask OnConnectionLostAsync(ConnectionLoss loss, CancellationToken ct)
    {
        try
        {
            if (Volatile.Read(ref _stopped) == 1)
            {
                return; // already ended, e.g. by the fatal error the server sent before it closed
            }
            // Whatever the old connection was saying is over; the new one starts clean.
            await BargeInAsync("the connection ended", ct).ConfigureAwait(false);
            if (loss.FatalError is { } fatal)
            {
                await FailAsync(fatal, ct).ConfigureAwait(false);
                return;
            }
            State = VoiceSessionState.Reconnecting;
            await EmitAsync(new StateOutput(VoiceSessionState.Reconnecting, loss.Reason), ct).ConfigureAwait(false);
        }
        finally
        {
            loss.Parked.TrySetResult();
        }
        if (await loss.Outcome.WaitAsync(ct).ConfigureAwait(false) is { } failure)
        {
            await FailAsync(failure, ct).ConfigureAwait(false);
            return;
        }
        await AfterReconnectAsync(ct).ConfigureAwait(false);
    }

    /// <summary>
    /// After a reconnect or renewal, on the actor: a greeting asked for while disconnected is spoken, and a response
    /// asked for while the old connection still held a cancelled one is asked for now.
    /// </summary>
    private async ValueTask AfterReconnectAsync(CancellationToken ct)
    {
        if (_greetingPending)
        {
            await GreetAsync(ct).ConfigureAwait(false);
        }
        await SendDeferredResponseIfReadyAsync(ct).ConfigureAwait(false);
    }

    /// <summary>A fatal error: said to the reader once, then the session stops taking work and the connection is closed.</summary>
    private async ValueTask FailAsync(string message, CancellationToken ct, string? code = null)
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }
        _logger.LogError("Voice session failed: {Message}", message);
        State = VoiceSessionState.Stopped;
        await EmitAsync(new ErrorOutput(message, code, Fatal: true), ct).ConfigureAwait(false);
        await EmitAsync(new StateOutput(VoiceSessionState.Stopped, message), ct).ConfigureAwait(false);
        _mailbox.Complete();
        _outputs.Writer.TryComplete();
        await _connection.StopAsync().ConfigureAwait(false);
    }
}
