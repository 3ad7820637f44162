using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using V2V.Realtime.Client;
using V2V.Realtime.Protocol.ClientEvents;
using V2V.Realtime.Protocol.Models;
using V2V.Voice.Diagnostics;
using V2V.Voice.Outputs;

namespace V2V.Voice;

public sealed partial class VoiceSession
{
    private const string ReanchorText =
        "The connection to the conversation was re-established. The messages above are the conversation so far; " +
        "continue it naturally from where it left off, without greeting the user again.";

    private volatile IRealtimeConnection? _client;
    private int _generation;
    private readonly object _bufferGate = new();
    private readonly Queue<short[]> _reconnectBuffer = new();
    private long _bufferedSamples;

    /// <summary>Opens a connection, configures it, and (after a reconnect) replays the history and the audio kept meanwhile.</summary>
    private async Task ConnectAsync(bool replay, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        var client = await new RealtimeClient(_options.Connection).ConnectAsync(ct).ConfigureAwait(false);
        var generation = Interlocked.Increment(ref _generation);
        _turns.OnNewConnection();
        await client.SendAsync(new SessionUpdateEvent { Session = SessionConfiguration.Build(_options, _tools) }, ct).ConfigureAwait(false);
        TakeHeardTurns();
        if (replay && _history.Items.Count > 0)
        {
            foreach (var item in _history.Items)
            {
                await client.SendAsync(new ConversationItemCreateEvent { Item = item }, ct).ConfigureAwait(false);
            }
            await client.SendAsync(new ConversationItemCreateEvent { Item = RealtimeConversationItem.SystemText(ReanchorText) }, ct).ConfigureAwait(false);
        }
        await SendBufferedAudioThenGoLiveAsync(client, ct).ConfigureAwait(false);
        VoiceMetrics.ConnectTime.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        Interlocked.Exchange(ref _connectedAt, Stopwatch.GetTimestamp());
        State = VoiceSessionState.Connected;
        await EmitAsync(new StateOutput(VoiceSessionState.Connected, client.Endpoint), ct).ConfigureAwait(false);
        _ = Task.Run(() => PumpAsync(client, generation), CancellationToken.None);
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

    /// <summary>Reads the server's events into the actor's queue until the connection ends, then says so.</summary>
    private async Task PumpAsync(IRealtimeConnection client, int generation)
    {
        Exception? error = null;
        try
        {
            await foreach (var serverEvent in client.ReadEventsAsync(_lifetime.Token).ConfigureAwait(false))
            {
                await DeliverServerEventAsync(generation, serverEvent, _lifetime.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (_lifetime.IsCancellationRequested)
        {
            return;
        }
        catch (Exception ex) when (ex is RealtimeException or ChannelClosedException)
        {
            error = ex;
        }
        try
        {
            await _mailbox.PostEventAsync(new ConnectionEndedWork(generation, error), _lifetime.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or ChannelClosedException)
        {
            // Stopping: nobody to tell.
        }
    }

    /// <summary>The close status OpenAI ends a connection with when it refuses the request itself (e.g. beta_api_shape_disabled).</summary>
    private const int RefusedRequestCloseStatus = 4000;

    /// <summary>The connection ended without the session asking: finish what was in flight, then reconnect with backoff.</summary>
    private async ValueTask OnConnectionEndedAsync(Exception? error, CancellationToken ct)
    {
        var old = _client;
        _client = null;
        var reason = error?.Message ?? $"closed by the server ({old?.CloseStatus} {old?.CloseStatusDescription})";
        _logger.LogWarning("Realtime connection ended: {Reason}", reason);
        // Whatever the old connection was saying is over; the new one starts clean.
        await BargeInAsync("the connection ended", ct).ConfigureAwait(false);
        if (old is not null)
        {
            await old.DisposeAsync().ConfigureAwait(false);
        }
        if (!_options.Reconnect)
        {
            await FailAsync($"The realtime connection ended: {reason}", ct).ConfigureAwait(false);
            return;
        }
        if (old?.CloseStatus is { } status && (int)status == RefusedRequestCloseStatus)
        {
            // The service refused what was asked (OpenAI closes a retired beta client with 4000): asking again cannot help.
            await FailAsync($"The realtime service refused the session and closed it ({(int)status} {old.CloseStatusDescription}); reconnecting cannot help.", ct).ConfigureAwait(false);
            return;
        }
        State = VoiceSessionState.Reconnecting;
        await EmitAsync(new StateOutput(VoiceSessionState.Reconnecting, reason), ct).ConfigureAwait(false);
        var delay = TimeSpan.FromMilliseconds(250);
        for (var attempt = 1; attempt <= Math.Max(1, _options.MaxReconnectAttempts); attempt++)
        {
            // Full jitter: many sessions dropped at once must not come back at once.
            await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * delay.TotalMilliseconds), ct).ConfigureAwait(false);
            try
            {
                await ConnectAsync(replay: true, ct).ConfigureAwait(false);
                VoiceMetrics.Reconnects.Add(1);
                await AfterReconnectAsync(ct).ConfigureAwait(false);
                return;
            }
            catch (RealtimeAuthenticationException ex)
            {
                await FailAsync(ex.Message, ct).ConfigureAwait(false);
                return;
            }
            catch (RealtimeConfigurationException ex)
            {
                await FailAsync(ex.Message, ct).ConfigureAwait(false);
                return;
            }
            catch (RealtimeException ex)
            {
                _logger.LogWarning("Reconnect attempt {Attempt} failed: {Reason}", attempt, ex.Message);
            }
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.MaxReconnectDelay.Ticks));
        }
        await FailAsync($"Could not reconnect after {_options.MaxReconnectAttempts} attempts: {reason}", ct).ConfigureAwait(false);
    }

    /// <summary>A fatal error: said to the reader, then the session stops taking work.</summary>
    private async ValueTask FailAsync(string message, CancellationToken ct, string? code = null)
    {
        _logger.LogError("Voice session failed: {Message}", message);
        State = VoiceSessionState.Stopped;
        await EmitAsync(new ErrorOutput(message, code, Fatal: true), ct).ConfigureAwait(false);
        await EmitAsync(new StateOutput(VoiceSessionState.Stopped, message), ct).ConfigureAwait(false);
        Interlocked.Exchange(ref _stopped, 1);
        _mailbox.Complete();
        _outputs.Writer.TryComplete();
    }

    /// <summary>Keeps input audio while disconnected: the last <see cref="VoiceSessionOptions.ReconnectAudioBuffer"/>, older audio dropped and counted.</summary>
    private bool TryBufferWhileDisconnected(ReadOnlySpan<short> chunk)
    {
        var limit = (long)(_options.ReconnectAudioBuffer.TotalSeconds * Input.InputAudioPath.ModelRate);
        lock (_bufferGate)
        {
            if (_client is { IsOpen: true })
            {
                return false;
            }
            _reconnectBuffer.Enqueue(chunk.ToArray());
            _bufferedSamples += chunk.Length;
            while (_bufferedSamples > limit && _reconnectBuffer.Count > 0)
            {
                _bufferedSamples -= _reconnectBuffer.Dequeue().Length;
                VoiceMetrics.FramesDropped.Add(1, new KeyValuePair<string, object?>("reason", "disconnected"));
            }
            return true;
        }
    }

    /// <summary>
    /// Sends the audio kept while disconnected, oldest first, then makes the connection the live one. The
    /// producer keeps buffering until then, so no audio overtakes older audio.
    /// </summary>
    private async Task SendBufferedAudioThenGoLiveAsync(IRealtimeConnection client, CancellationToken ct)
    {
        while (true)
        {
            short[][] chunks;
            lock (_bufferGate)
            {
                if (_reconnectBuffer.Count == 0)
                {
                    _client = client;
                    return;
                }
                chunks = [.. _reconnectBuffer];
                _reconnectBuffer.Clear();
                _bufferedSamples = 0;
            }
            foreach (var chunk in chunks)
            {
                await client.SendAudioAsync(System.Runtime.InteropServices.MemoryMarshal.AsBytes(chunk.AsSpan()).ToArray(), ct).ConfigureAwait(false);
            }
        }
    }

    private async Task CloseClientAsync()
    {
        var client = _client;
        _client = null;
        if (client is not null)
        {
            await CloseQuietlyAsync(client).ConfigureAwait(false);
        }
    }

    /// <summary>Closes a connection with a short grace and disposes it; a peer that does not answer the close is not waited for.</summary>
    private async Task CloseQuietlyAsync(IRealtimeConnection client)
    {
        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            await client.CloseAsync(grace.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or RealtimeException)
        {
            _logger.LogDebug(ex, "Close did not complete cleanly");
        }
        await client.DisposeAsync().ConfigureAwait(false);
    }
}
