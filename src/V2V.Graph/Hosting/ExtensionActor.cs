using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using V2V.Ten;
using V2V.Ten.Messages;

namespace V2V.Graph.Hosting;

/// <summary>
/// One extension as an actor: a single loop runs its handlers one at a time. Two queues feed it: the control
/// queue (commands and lifecycle steps; unbounded, never dropped) is always served before the message queue
/// (data and audio frames; bounded, full mode Wait = back-pressure on the sender). The loop takes from them until both
/// are empty, then sleeps on one <see cref="WakeSignal"/>, which every entry sets: no allocation to wait or to wake.
/// </summary>
internal sealed partial class ExtensionActor
{
    private readonly Channel<ControlItem> _control = Channel.CreateUnbounded<ControlItem>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Channel<TenMessage> _messages;
    private readonly WakeSignal _wake = new();
    private readonly CancellationTokenSource _abort = new();
    private readonly GraphActivity _activity;
    private readonly ILogger _logger;
    private volatile bool _stopped;
    private bool _startFailed; // touched by the actor's loop only
    private Task<CmdResult>? _stop, _deinit;
    private long _cmdsHandled, _messagesHandled, _backPressureWaits, _dropped, _handlerErrors, _unrouted;

    public ExtensionActor(string name, Extension extension, ExtensionEnv env, int capacity, GraphActivity activity, ILogger logger)
    {
        Name = name;
        Extension = extension;
        Env = env;
        _activity = activity;
        _logger = logger;
        _messages = Channel.CreateBounded<TenMessage>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
        });
    }

    public string Name { get; }

    public Extension Extension { get; }

    public ExtensionEnv Env { get; }

    public Task Loop { get; private set; } = Task.CompletedTask;

    /// <summary>Whether the extension handles video (overrides <see cref="Extension.OnVideoFrameAsync"/>); others are not sent frames.</summary>
    public bool TakesVideo =>
        Extension.GetType().GetMethod(nameof(Extension.OnVideoFrameAsync), [typeof(ITenEnv), typeof(VideoFrame), typeof(CancellationToken)])?.DeclaringType != typeof(Extension);

    public ExtensionStatistics Statistics => new(Name, Interlocked.Read(ref _cmdsHandled), Interlocked.Read(ref _messagesHandled),
        Interlocked.Read(ref _backPressureWaits), Interlocked.Read(ref _dropped), Interlocked.Read(ref _handlerErrors), Interlocked.Read(ref _unrouted));

    public void CountUnrouted() => Interlocked.Increment(ref _unrouted);

    /// <summary>Cancels the token every handler of this extension was given (a stop that ran out of patience).</summary>
    public void Abort() => _abort.Cancel();

    /// <summary>Queues the start step (the first entry, before <see cref="Run"/>).</summary>
    public Task<CmdResult> RequestStart() => Enqueue(ControlKind.Start);

    /// <summary>Queues the stop step, once: later calls return the same outcome.</summary>
    public Task<CmdResult> RequestStop() => _stop ??= Enqueue(ControlKind.Stop);

    /// <summary>Queues the deinit step, once; the loop ends after it.</summary>
    public Task<CmdResult> RequestDeinit() => _deinit ??= Enqueue(ControlKind.Deinit);

    private Task<CmdResult> Enqueue(ControlKind kind)
    {
        var item = new ControlItem(kind);
        if (!_control.Writer.TryWrite(item))
        {
            return Task.FromResult(CmdResult.Ok("already finished"));
        }
        _wake.Set();
        return item.Outcome.Task;
    }

    /// <summary>Starts the loop; the first entry of the control queue is the start step.</summary>
    public void Run() => Loop = Task.Run(RunAsync);

    /// <summary>Delivers a command and waits for its result.</summary>
    public async Task<CmdResult> SendCmdAsync(Cmd cmd, CancellationToken cancellationToken)
    {
        var item = new ControlItem(ControlKind.Cmd, cmd);
        if (!_control.Writer.TryWrite(item))
        {
            return CmdResult.NotDelivered($"'{Name}' has finished; the command '{cmd.Name}' from '{cmd.Source}' was not delivered.");
        }
        _activity.Begin();
        _wake.Set();
        return await item.Outcome.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Queues a data message or frame; waits only when the queue is full (back-pressure).</summary>
    public ValueTask PostAsync(TenMessage message, CancellationToken cancellationToken)
    {
        if (_stopped)
        {
            Interlocked.Increment(ref _dropped);
            return ValueTask.CompletedTask;
        }
        _activity.Begin();
        if (_messages.Writer.TryWrite(message))
        {
            _wake.Set();
            return ValueTask.CompletedTask;
        }
        return PostSlowAsync(message, cancellationToken);
    }

    private async ValueTask PostSlowAsync(TenMessage message, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _backPressureWaits);
        try
        {
            await _messages.Writer.WriteAsync(message, cancellationToken).ConfigureAwait(false);
            _wake.Set();
        }
        catch (ChannelClosedException)
        {
            // It stopped while we waited: the message is dropped, as any that arrive after the stop.
            Interlocked.Increment(ref _dropped);
            _activity.End();
        }
        catch (OperationCanceledException)
        {
            _activity.End();
            throw;
        }
    }

    private async Task RunAsync()
    {
        while (true)
        {
            // The control queue first, each time round.
            if (_control.Reader.TryRead(out var item))
            {
                if (await HandleControlAsync(item).ConfigureAwait(false))
                {
                    break;
                }
            }
            else if (_messages.Reader.TryRead(out var message))
            {
                await HandleMessageAsync(message).ConfigureAwait(false);
            }
            else
            {
                // No token: the loop ends with the deinit step, which is always queued, even when a stop is aborted.
                await _wake.WaitAsync().ConfigureAwait(false);
            }
        }
        _control.Writer.TryComplete();
        while (_control.Reader.TryRead(out var late))
        {
            if (late.Kind == ControlKind.Cmd)
            {
                Answer(late, CmdResult.NotDelivered($"'{Name}' has finished; the command '{late.Cmd?.Name}' was not handled."));
                _activity.End();
            }
            else
            {
                Answer(late, CmdResult.Ok("already finished"));
            }
        }
    }

    // Returns true after the deinit step: the loop ends.
    private async Task<bool> HandleControlAsync(ControlItem item)
    {
        var token = _abort.Token;
        switch (item.Kind)
        {
            case ControlKind.Cmd:
                await HandleCmdAsync(item, token).ConfigureAwait(false);
                return false;
            case ControlKind.Start:
                await LifecycleAsync(item, () => Extension.OnStartAsync(Env, token)).ConfigureAwait(false);
                _startFailed = item.Outcome.Task.IsFaulted; // the graph stops it; until then no command reaches it half-started
                return false;
            case ControlKind.Stop:
                await LifecycleAsync(item, () => Extension.OnStopAsync(Env, token)).ConfigureAwait(false);
                StopAcceptingMessages();
                return false;
            default:
                StopAcceptingMessages();
                await LifecycleAsync(item, () => Extension.OnDeinitAsync(Env, token)).ConfigureAwait(false);
                return true;
        }
    }

    private async Task HandleCmdAsync(ControlItem item, CancellationToken token)
    {
        var cmd = item.Cmd!;
        try
        {
            if (_stopped || _startFailed)
            {
                var state = _startFailed ? "failed to start" : "is stopped";
                Answer(item, CmdResult.NotDelivered($"'{Name}' {state}; the command '{cmd.Name}' from '{cmd.Source}' was not handled."));
                return;
            }
            CmdResult? result;
            try
            {
                result = await Extension.OnCmdAsync(Env, cmd, token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !token.IsCancellationRequested)
            {
                Interlocked.Increment(ref _handlerErrors);
                LogHandlerFailed(_logger, Name, "command", cmd.Name, ex);
                result = CmdResult.Error($"'{Name}' failed on the command '{cmd.Name}': {ex.Message}");
            }
            catch (OperationCanceledException)
            {
                result = CmdResult.Error($"'{Name}' was stopped while handling the command '{cmd.Name}'.");
            }
            Interlocked.Increment(ref _cmdsHandled);
            Answer(item, result ?? CmdResult.Error($"'{Name}' returned no result for the command '{cmd.Name}'."));
        }
        finally
        {
            _activity.End();
        }
    }

    private async Task HandleMessageAsync(TenMessage message)
    {
        var token = _abort.Token;
        try
        {
            switch (message)
            {
                case AudioFrame frame:
                    await Extension.OnAudioFrameAsync(Env, frame, token).ConfigureAwait(false);
                    break;
                case VideoFrame video:
                    await Extension.OnVideoFrameAsync(Env, video, token).ConfigureAwait(false);
                    break;
                default:
                    await Extension.OnDataAsync(Env, (DataMessage)message, token).ConfigureAwait(false);
                    break;
            }
            Interlocked.Increment(ref _messagesHandled);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !token.IsCancellationRequested)
        {
            Interlocked.Increment(ref _handlerErrors);
            LogHandlerFailed(_logger, Name, message switch { AudioFrame => "audio frame", VideoFrame => "video frame", _ => "data" }, message.Name, ex);
        }
        catch (OperationCanceledException)
        {
            // Aborted: the graph is going down; the message is dropped with the rest.
        }
        finally
        {
            _activity.End();
        }
    }

    // A lifecycle failure goes back to the host, which names the extension and the step.
    private static async Task LifecycleAsync(ControlItem item, Func<Task> run)
    {
        try
        {
            await run().ConfigureAwait(false);
            item.Outcome.TrySetResult(CmdResult.Ok());
        }
        catch (Exception ex)
        {
            item.Outcome.TrySetException(ex);
        }
    }

    // After stop nothing more is taken: senders' pending writes fail (counted as dropped) and what is queued is dropped.
    private void StopAcceptingMessages()
    {
        _stopped = true;
        _messages.Writer.TryComplete();
        while (_messages.Reader.TryRead(out _))
        {
            Interlocked.Increment(ref _dropped);
            _activity.End();
        }
    }

    private static void Answer(ControlItem item, CmdResult result) => item.Outcome.TrySetResult(result);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Extension}: the {Kind} handler for '{Message}' failed; the extension goes on.")]
    private static partial void LogHandlerFailed(ILogger logger, string extension, string kind, string message, Exception exception);
}
