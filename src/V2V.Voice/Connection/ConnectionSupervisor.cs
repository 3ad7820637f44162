using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using V2V.Realtime.Client;
using V2V.Voice.Diagnostics;
using V2V.Voice.Input;

namespace V2V.Voice.Connection;

/// <summary>
/// The connection stage: owns the live realtime connection; opens it (retrying refusals a retry can fix), notices its
/// end, decides with <see cref="FailureClassifier"/> whether to reconnect, reconnects through a Polly pipeline (the
/// backoff grows across connections that die young and resets only after one has been healthy for
/// <see cref="VoiceSessionOptions.HealthyConnectionTime"/>; it gives up after
/// <see cref="VoiceSessionOptions.ReconnectGiveUpAfter"/> with one error), and renews the connection before the
/// service's session expires. All waiting is on <see cref="VoiceSessionOptions.TimeProvider"/>.
/// </summary>
internal sealed class ConnectionSupervisor : IAsyncDisposable
{
    private readonly RealtimeConnector _connect;
    private readonly VoiceSessionOptions _options;
    private readonly IConnectionOwner _owner;
    private readonly ILogger _logger;
    private readonly VoiceMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stop = new();
    private readonly ResiliencePipeline _reconnect;
    private readonly OpenTurnAudio _openTurn;
    private readonly RenewalTimer _renewalTimer;
    private LiveConnection? _current;
    private Task _supervising = Task.CompletedTask;
    private int _generation;
    private int _stopped;

    // The outage being reconnected; touched by the supervising loop only.
    private DateTimeOffset _outageStart;
    private int _outageAttempts;
    private bool _toldFatal;
    private TaskCompletionSource<string?> _outcome = new();

    public ConnectionSupervisor(RealtimeConnector connect, VoiceSessionOptions options, IConnectionOwner owner, ILogger logger, VoiceMetrics metrics)
    {
        _connect = connect;
        _options = options;
        _owner = owner;
        _logger = logger;
        _metrics = metrics;
        _time = options.TimeProvider;
        _renewalTimer = new RenewalTimer(_time, owner.RenewalDue);
        _openTurn = new OpenTurnAudio(InputAudioPath.ModelRate, options.TurnMode is TurnMode.ServerVad or TurnMode.SemanticVad, options.VadPrefixPaddingMs,
            localDetectorOpensTurns: options.TurnMode == TurnMode.LocalVad);
        Slot = new LiveClientSlot(options.ReconnectAudioBuffer, InputAudioPath.ModelRate, metrics, _openTurn,
            options.TurnMode is TurnMode.ServerVad or TurnMode.SemanticVad ? options.InputQuietDbfs : null);
        _reconnect = ReconnectPipelines.Reconnect(options, () => !_toldFatal && _time.GetUtcNow() - _outageStart < _options.ReconnectGiveUpAfter, OnRetryAsync);
    }

    /// <summary>The live connection for the producer, and the audio kept while there is none.</summary>
    public LiveClientSlot Slot { get; }

    /// <summary>The live connection (null while there is none).</summary>
    public IRealtimeConnection? Live => Slot.Client;

    /// <summary>The end of the live connection (null before the first one).</summary>
    public Task<ConnectionEnd>? LiveEnded => Volatile.Read(ref _current)?.Ended;

    /// <summary>The generation of the live connection: events of older ones are stale.</summary>
    public int Generation => Volatile.Read(ref _generation);

    /// <summary>Opens and configures the first connection, then watches it. Throws what connecting threw when no retry helped.</summary>
    public async Task StartAsync(CancellationToken ct)
    {
        var attempts = 0;
        try
        {
            await ReconnectPipelines.FirstConnection(_options, _logger)
                .ExecuteAsync(async token =>
                {
                    attempts++;
                    await OpenAsync(replay: false, token).ConfigureAwait(false);
                }, ct).ConfigureAwait(false);
        }
        catch (RealtimeHandshakeException refused)
        {
            refused.Attempts = attempts; // so the host's one line can say that waiting and trying again did not help
            throw;
        }
        _supervising = Task.Run(SuperviseAsync, CancellationToken.None);
    }

    /// <summary>Looks at the renewal plan of the live connection (on the session's actor); re-arms the timer when it is not yet time.</summary>
    public RenewalDecision CheckRenewal(bool quiet, bool answerComing)
    {
        if (Volatile.Read(ref _current) is not { } live || !live.Client.IsOpen || Slot.Client is null)
        {
            return default;
        }
        var decision = RenewalPlan.For(live.ConnectedAt, live.ExpiresAt, _options.MaxConnectionAge).Decide(_time.GetUtcNow(), quiet, answerComing);
        if (decision.NextCheck is { } next)
        {
            _renewalTimer.Arm(next);
        }
        return decision;
    }

    /// <summary>
    /// Switches to a new connection with the conversation replayed (on the session's actor). False when the new one
    /// could not be opened: the old one stays, and the renewal is tried again a little later.
    /// </summary>
    public async Task<bool> RenewAsync(CancellationToken ct)
    {
        var old = Volatile.Read(ref _current)!;
        Slot.Detach(); // the producer buffers the audio of the switch; it goes out first on the new connection
        try
        {
            await OpenAsync(replay: true, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RealtimeException || (ex is OperationCanceledException && !ct.IsCancellationRequested))
        {
            _logger.LogWarning("Renewal failed, keeping the old connection: {Reason}", ex.Message);
            await Slot.SendBufferedThenGoLiveAsync(old.Client, ct).ConfigureAwait(false);
            _renewalTimer.Arm(RenewalPlan.NextTryAfterFailure(_time.GetUtcNow(), old.ExpiresAt));
            return false;
        }
        _metrics.Reconnects.Add(1, new KeyValuePair<string, object?>("reason", "renewal"));
        // Events still in flight from the old connection carry its generation and are dropped by the actor.
        await CloseQuietlyAsync(old.Client, old.Ended).ConfigureAwait(false);
        return true;
    }

    /// <summary>Stops supervising (a fatal error or the end of the session) and closes the live connection.</summary>
    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }
        _renewalTimer.Dispose();
        // The close frame goes out before the reader is cancelled: cancelling a pending WebSocket receive aborts the
        // socket, and an aborted socket can no longer say goodbye (the service then sees a dropped connection).
        var current = Volatile.Read(ref _current);
        var client = Slot.Detach() ?? current?.Client;
        if (client is not null)
        {
            await CloseQuietlyAsync(client, ReferenceEquals(current?.Client, client) ? current!.Ended : null).ConfigureAwait(false);
        }
        await _stop.CancelAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        await _supervising.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
        _openTurn.Dispose();
    }

    /// <summary>The user's unanswered turn went out again on a new connection: said, and a turn too long to keep whole told once.</summary>
    private void TellReplayed(ReplayedTurn replayed)
    {
        if (replayed.ReplayedMs > 0)
        {
            _logger.LogInformation("The user's unanswered turn ({Seconds:0.0} s of audio) was sent again on the new connection", replayed.ReplayedMs / 1000);
        }
        if (replayed.MissingMs > 0)
        {
            _metrics.FramesDropped.Add(1, new KeyValuePair<string, object?>("reason", "open_turn_overflow"));
            _logger.LogWarning("The user's unanswered turn was longer than the {Kept:0} s kept for a new connection: its first {Missing:0.0} s were not sent again",
                OpenTurnAudio.MaxTurn.TotalSeconds, replayed.MissingMs / 1000);
        }
    }

    /// <summary>Connects, configures, sends the audio kept meanwhile, and makes the connection the live one.</summary>
    private async Task<LiveConnection> OpenAsync(bool replay, CancellationToken ct)
    {
        var started = _time.GetTimestamp();
        var client = await _connect(ct).ConfigureAwait(false);
        try
        {
            await _owner.ConfigureAsync(client, replay, ct).ConfigureAwait(false);
            var replayed = await Slot.SendBufferedThenGoLiveAsync(client, ct).ConfigureAwait(false);
            // A new generation only once the connection is live: a renewal whose new connection fails before that keeps
            // the old one, and the old one's events must still count (counted earlier, they were dropped as stale).
            var live = new LiveConnection(client, Interlocked.Increment(ref _generation), _time.GetUtcNow());
            TellReplayed(replayed);
            _owner.WentLive(replayed);
            if (Interlocked.Exchange(ref _current, live) is { } previous)
            {
                previous.Retired = true;
            }
            _metrics.ConnectTime.Record(_time.GetElapsedTime(started).TotalSeconds);
            await _owner.ConnectedAsync(client.Endpoint, ct).ConfigureAwait(false);
            ArmRenewalOf(live);
            _ = Task.Run(() => live.PumpAsync(_owner, ArmRenewalOf, Slot.Note, _time, _stop.Token), CancellationToken.None);
            return live;
        }
        catch
        {
            await client.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Each loss of a live connection starts an outage, reconnected through the pipeline until healthy, fatal, or out of time.</summary>
    private async Task SuperviseAsync()
    {
        var ct = _stop.Token;
        try
        {
            while (true)
            {
                var (lost, end) = await WaitForLossAsync(ct).ConfigureAwait(false);
                _outageStart = _time.GetUtcNow();
                _outageAttempts = 0;
                if (!await ReportLossAsync(lost, end, ct).ConfigureAwait(false))
                {
                    return;
                }
                if (await GoesOnWithTheRenewedAsync(lost, ct).ConfigureAwait(false))
                {
                    continue;
                }
                try
                {
                    await _reconnect.ExecuteAsync(ReconnectUntilHealthyAsync, ct).ConfigureAwait(false);
                }
                catch (Exception ex) when (!ct.IsCancellationRequested)
                {
                    if (!_toldFatal)
                    {
                        _outcome.TrySetResult(GiveUpMessage(ex));
                    }
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// One attempt: a new connection, live, then watched until it has been healthy long enough (the outage is over) or
    /// ends first (a failed attempt: the next one waits a longer backoff).
    /// </summary>
    private async ValueTask ReconnectUntilHealthyAsync(CancellationToken ct)
    {
        _outageAttempts++;
        await OpenAsync(replay: true, ct).ConfigureAwait(false);
        _metrics.Reconnects.Add(1);
        _outcome.TrySetResult(null);
        var healthyAt = _time.GetUtcNow() + _options.HealthyConnectionTime;
        while (true)
        {
            using var window = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var loss = WaitForLossAsync(window.Token);
            var left = healthyAt - _time.GetUtcNow();
            if (await Task.WhenAny(loss, Task.Delay(left > TimeSpan.Zero ? left : TimeSpan.Zero, _time, window.Token)).ConfigureAwait(false) != loss)
            {
                await window.CancelAsync().ConfigureAwait(false);
                _logger.LogDebug("The connection has been healthy for {Time}: the next loss starts a fresh backoff", _options.HealthyConnectionTime);
                return;
            }
            var (lost, end) = await loss.ConfigureAwait(false);
            if (!await ReportLossAsync(lost, end, ct).ConfigureAwait(false))
            {
                ct.ThrowIfCancellationRequested();
                throw new ConnectionEndedException(end);
            }
            if (!await GoesOnWithTheRenewedAsync(lost, ct).ConfigureAwait(false))
            {
                throw new ConnectionEndedException(end);
            }
            // Watched for what is left of the healthy time.
        }
    }

    /// <summary>
    /// After a loss was told: when a renewal replaced <paramref name="lost"/> meanwhile, the session is told it goes on,
    /// on the renewed connection, and true is returned (a reconnect now would leave that one open, unwatched); false
    /// when <paramref name="lost"/> is still the live one.
    /// </summary>
    private async Task<bool> GoesOnWithTheRenewedAsync(LiveConnection lost, CancellationToken ct)
    {
        if (Volatile.Read(ref _current) is not { } current || ReferenceEquals(lost, current))
        {
            return false;
        }
        await _owner.ConnectedAsync(current.Client.Endpoint, ct).ConfigureAwait(false);
        _outcome.TrySetResult(null);
        return true;
    }

    /// <summary>
    /// Tells the session that the live connection ended, and waits until it has finished what was in flight. False
    /// when the session ends here (a fatal end, reconnecting off, or stopping).
    /// </summary>
    private async Task<bool> ReportLossAsync(LiveConnection lost, ConnectionEnd end, CancellationToken ct)
    {
        var verdict = FailureClassifier.Classify(end);
        _logger.LogWarning("Realtime connection ended ({Kind}): {Reason}", verdict.Kind, end.Describe());
        Slot.Detach(lost.Client);
        await lost.Client.DisposeAsync().ConfigureAwait(false);
        var fatal = verdict.Kind == FailureKind.Fatal ? verdict.Reason
            : !_options.Reconnect ? $"The realtime connection ended: {end.Describe()}"
            : null;
        _toldFatal = fatal is not null;
        var parked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _outcome = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!await _owner.ConnectionLostAsync(new ConnectionLoss(end.Describe(), fatal, parked, _outcome.Task), ct).ConfigureAwait(false))
        {
            return false;
        }
        await parked.Task.WaitAsync(ct).ConfigureAwait(false);
        return fatal is null;
    }

    /// <summary>The end of the live connection; a connection replaced by a renewal is no loss, its successor is watched.</summary>
    private async Task<(LiveConnection Lost, ConnectionEnd End)> WaitForLossAsync(CancellationToken ct)
    {
        while (true)
        {
            var live = Volatile.Read(ref _current)!;
            var end = await live.Ended.WaitAsync(ct).ConfigureAwait(false);
            if (!live.Retired && ReferenceEquals(live, Volatile.Read(ref _current)))
            {
                return (live, end);
            }
        }
    }

    private ValueTask OnRetryAsync(OnRetryArguments<object> args)
    {
        _logger.LogWarning("Reconnect attempt {Attempt} failed (retry {Retry} of this outage), next in {Delay}: {Reason}",
            _outageAttempts, args.AttemptNumber, args.RetryDelay, args.Outcome.Exception?.Message);
        return default;
    }

    private string GiveUpMessage(Exception error)
    {
        var verdict = FailureClassifier.Classify(error);
        if (verdict.Kind == FailureKind.Fatal)
        {
            return verdict.Reason;
        }
        var elapsed = _time.GetUtcNow() - _outageStart;
        return $"Could not reconnect to the realtime service: {_outageAttempts} attempts over {elapsed.TotalSeconds:0} s without a connection that lasted "
            + $"{_options.HealthyConnectionTime.TotalSeconds:0} s (ReconnectGiveUpAfter is {_options.ReconnectGiveUpAfter.TotalSeconds:0} s). The last failure: {verdict.Reason}";
    }

    private void ArmRenewalOf(LiveConnection live)
    {
        if (ReferenceEquals(live, Volatile.Read(ref _current)))
        {
            _renewalTimer.Replan(RenewalPlan.For(live.ConnectedAt, live.ExpiresAt, _options.MaxConnectionAge).QuietFrom);
        }
    }

    /// <summary>Closes a connection with a short grace and disposes it; a peer that does not answer the close is not waited for.</summary>
    private async Task CloseQuietlyAsync(IRealtimeConnection client, Task? readerEnded = null)
    {
        // Wall-clock on purpose: a guard against a silent peer, not a schedule the session keeps.
        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            await client.CloseAsync(grace.Token).ConfigureAwait(false);
            // The close handshake ends when the peer's close frame has been read. Disposing before that closes the
            // socket with unread events in its buffer, which the kernel turns into a reset: the peer may then lose
            // the close frame and see a dropped connection.
            if (readerEnded is not null)
            {
                await readerEnded.WaitAsync(grace.Token).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or RealtimeException)
        {
            _logger.LogDebug(ex, "Close did not complete cleanly");
        }
        await client.DisposeAsync().ConfigureAwait(false);
    }
}
