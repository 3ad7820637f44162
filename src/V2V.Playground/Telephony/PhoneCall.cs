using System.Net.WebSockets;
using Microsoft.Extensions.Logging;
using V2V.AspNetCore;
using V2V.Audio;
using V2V.Frames;
using V2V.Graph;
using V2V.Graph.Hosting;
using V2V.Playground.Hosting;
using V2V.Playground.Sessions;
using V2V.Ten;

namespace V2V.Playground.Telephony;

/// <summary>
/// One phone call, from Twilio's <c>connected</c> to its <c>stop</c> (or the socket's end): a graph of its own (see
/// <see cref="CallGraph"/>, or a TEN app's with the phone as its RTC node: <see cref="AppCallGraph"/>), the socket's reader here, its writer in <see cref="CallWriter"/>. The greeting is asked
/// for when the stream starts; <c>stop</c> stops the graph, which ends the voice session and closes its dump. A bad
/// message (out of order, bad base64, unknown event, not JSON) is logged and skipped: the call goes on.
/// </summary>
internal sealed partial class PhoneCall(WebSocket socket, SessionContext context, ILogger logger)
{
    private const int MaxMessageBytes = 64 * 1024;
    private static readonly TimeSpan StartPatience = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan StopPatience = TimeSpan.FromSeconds(10);

    private readonly TwilioInbound _message = new();
    private readonly MarkLedger _marks = new();
    private readonly CallProblems _problems = new();
    private string _id = "(no start yet)";
    private long _mediaIn;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxMessageBytes];
        RunningGraph? graph = null;
        CallWriter? writer = null;
        try
        {
            using var startTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            startTimeout.CancelAfter(StartPatience);
            if (!await ReadUntilStartAsync(buffer, startTimeout.Token).ConfigureAwait(false))
            {
                await CloseAsync(WebSocketCloseStatus.PolicyViolation, "no usable start message").ConfigureAwait(false);
                return;
            }
            _id = _message.CallSid ?? _message.StreamSid!;
            var settings = CallSettings.Read(_message.CustomParameters, out var problem);
            if (problem is not null)
            {
                LogBadParameter(logger, _id, problem);
            }
            writer = new CallWriter(socket, _message.StreamSid!, _marks);
            var caller = new MicExtension();
            graph = await StartGraphAsync(settings, caller, new CallExtension(writer, _id, logger), cancellationToken).ConfigureAwait(false);
            if (graph is null)
            {
                await CloseAsync(WebSocketCloseStatus.InternalServerError, "the session could not start").ConfigureAwait(false);
                return;
            }
            await caller.SendCmdAsync("on_user_joined", cancellationToken).ConfigureAwait(false);
            string reason;
            using (var keypad = new KeypadDigits(digits => _ = SendKeypadAsync(caller, digits, cancellationToken)))
            {
                reason = await PumpAsync(buffer, caller, keypad, cancellationToken).ConfigureAwait(false);
            }
            await StopGraphAsync(graph, caller).ConfigureAwait(false);
            graph = null;
            LogEnded(logger, _id, reason, Interlocked.Read(ref _mediaIn), writer.MediaSent, writer.AudioDropped);
            await writer.DrainAsync(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
            await CloseAsync(WebSocketCloseStatus.NormalClosure, reason).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            LogEnded(logger, _id, ex is OperationCanceledException ? "server stopping or no start in time" : "connection lost", Interlocked.Read(ref _mediaIn), writer?.MediaSent ?? 0, writer?.AudioDropped ?? 0);
        }
        finally
        {
            if (graph is not null)
            {
                await graph.DisposeAsync().ConfigureAwait(false);
            }
            if (writer is not null)
            {
                await writer.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    // connected, then start: what comes before start has no stream to belong to and is skipped, logged.
    private async Task<bool> ReadUntilStartAsync(byte[] buffer, CancellationToken cancellationToken)
    {
        while (await ReceiveAsync(buffer, cancellationToken).ConfigureAwait(false) is { } message)
        {
            if (!Read(buffer, message))
            {
                continue;
            }
            switch (_message.Event)
            {
                case TwilioEvent.Connected:
                    continue;
                case TwilioEvent.Start when _message.StreamSid is { Length: > 0 }:
                    if (_message.Encoding == "audio/x-mulaw" && _message.SampleRate == CallGraph.SampleRate && _message.Channels is 1 or 0)
                    {
                        return true;
                    }
                    LogBadFormat(logger, _message.StreamSid, _message.Encoding ?? "(none)", _message.SampleRate, _message.Channels);
                    return false;
                case TwilioEvent.Start:
                    _problems.Report(logger, _id, "start", "a start without start.streamSid: skipped");
                    continue;
                case TwilioEvent.Stop:
                    return false;
                default:
                    _problems.Report(logger, _id, "order", $"a {_message.EventName ?? _message.Event.ToString().ToLowerInvariant()} message before start: skipped");
                    continue;
            }
        }
        return false;
    }

    // After start: media to the agent, marks as the played position, keys to the keypad, until stop or the socket's end.
    private async Task<string> PumpAsync(byte[] buffer, MicExtension caller, KeypadDigits keypad, CancellationToken cancellationToken)
    {
        while (await ReceiveAsync(buffer, cancellationToken).ConfigureAwait(false) is { } message)
        {
            if (!Read(buffer, message))
            {
                continue;
            }
            switch (_message.Event)
            {
                case TwilioEvent.Media when _message.OtherTrack:
                    continue;
                case TwilioEvent.Media when _message.PayloadLength < 0:
                    _problems.Report(logger, _id, "payload", "a media message whose payload is missing or not base64: skipped");
                    continue;
                case TwilioEvent.Media:
                    await SendAudioAsync(caller, cancellationToken).ConfigureAwait(false);
                    continue;
                case TwilioEvent.Mark:
                    if (_marks.TryPlayed(_message.MarkNumber, out var itemId, out var endMs) && itemId is not null)
                    {
                        await caller.SendPlayedAsync(itemId, endMs, cancellationToken).ConfigureAwait(false);
                    }
                    continue;
                case TwilioEvent.Dtmf:
                    if (!keypad.Add(_message.Digit))
                    {
                        _problems.Report(logger, _id, "dtmf", $"a dtmf message without a key 0-9, * or # (dtmf.digit \"{_message.Digit}\"): skipped");
                    }
                    continue;
                case TwilioEvent.Stop:
                    return "the call ended (stop)";
                case TwilioEvent.Connected or TwilioEvent.Start:
                    _problems.Report(logger, _id, "repeat", $"a second {_message.Event.ToString().ToLowerInvariant()} message: skipped");
                    continue;
                default:
                    _problems.Report(logger, _id, "unknown:" + _message.EventName, $"an unknown event \"{_message.EventName}\": skipped");
                    continue;
            }
        }
        return "the stream closed without stop";
    }

    private bool Read(byte[] buffer, (int Count, WebSocketMessageType Type) message)
    {
        if (message.Type == WebSocketMessageType.Binary)
        {
            _problems.Report(logger, _id, "binary", "a binary message (Twilio sends JSON text): skipped");
            return false;
        }
        if (!_message.TryRead(buffer.AsSpan(0, message.Count), out var problem))
        {
            _problems.Report(logger, _id, "json", $"a message that is {problem}: skipped");
            return false;
        }
        return true;
    }

    private async ValueTask SendAudioAsync(MicExtension caller, CancellationToken cancellationToken)
    {
        var payload = _message.Payload;
        if (payload.IsEmpty)
        {
            return;
        }
        // The graph queues the frame: it gets a pooled buffer of its own; the agent disposes it.
        var frame = PcmFrame.Rent(payload.Length * 2, CallGraph.SampleRate);
        MuLaw.Decode(payload, Pcm16.AsSamples(frame.WritableSpan));
        await caller.SendAudioAsync(frame, cancellationToken).ConfigureAwait(false);
        Interlocked.Increment(ref _mediaIn);
    }

    private async Task SendKeypadAsync(MicExtension caller, string digits, CancellationToken cancellationToken)
    {
        try
        {
            LogKeypad(logger, _id, digits.Length);
            await caller.SendTextAsync(KeypadDigits.Describe(digits), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or GraphRunException or ObjectDisposedException)
        {
            // The call ended as the keys came: nobody to answer them.
        }
    }

    private async Task<RunningGraph?> StartGraphAsync(CallSettings settings, MicExtension caller, CallExtension call, CancellationToken cancellationToken)
    {
        // A TEN app's graph (serve --graph) answers with the phone as its RTC node; else the playground's own call graph.
        var (host, definition) = context.App is { } app
            ? (new GraphHost(app.Addons.With(new PhoneRtc(caller, call).Addon()), AppCallGraph.HostOptions(app, context)), AppCallGraph.Build(app, settings, context.ServerProperties))
            : (new GraphHost(CallGraph.Registry(context, caller, call), new GraphHostOptions { LoggerFactory = context.LoggerFactory, Environment = context.Environment }), CallGraph.Build(settings, context.ServerProperties));
        try
        {
            var graph = await host.StartAsync(definition, cancellationToken).ConfigureAwait(false);
            LogStarted(logger, _id, _message.StreamSid!, settings.Voice ?? "the server's", context.Backend.Kind);
            return graph;
        }
        catch (Exception ex) when (ex is GraphValidationException or GraphRunException or TenPropertyException)
        {
            LogStartFailed(logger, _id, StartFailure.Describe(ex, context.RefusedKeyFix));
            return null;
        }
    }

    private async Task StopGraphAsync(RunningGraph graph, MicExtension caller)
    {
        using var patience = new CancellationTokenSource(StopPatience);
        try
        {
            await caller.SendCmdAsync("on_user_left", patience.Token).ConfigureAwait(false);
            await graph.StopAsync(patience.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is GraphRunException or OperationCanceledException)
        {
            LogStopFailed(logger, _id, ex.Message);
        }
        await graph.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>The next whole message; null when the socket closed.</summary>
    private ValueTask<(int Count, WebSocketMessageType Type)?> ReceiveAsync(byte[] buffer, CancellationToken cancellationToken) =>
        WholeMessages.ReceiveAsync(socket, buffer, cancellationToken);

    private async Task CloseAsync(WebSocketCloseStatus status, string reason)
    {
        if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            try
            {
                await socket.CloseOutputAsync(status, reason.Length > 120 ? reason[..120] : reason, patience.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
            {
                // Twilio is gone already.
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {Call}: started (stream {Stream}, voice {Voice}, backend {Backend}).")]
    private static partial void LogStarted(ILogger logger, string call, string stream, string voice, string backend);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {Call}: {Reason}")]
    private static partial void LogStartFailed(ILogger logger, string call, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {Call}: {Problem}")]
    private static partial void LogBadParameter(ILogger logger, string call, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stream {Stream}: media format {Encoding} at {SampleRate} Hz, {Channels} channel(s) cannot be taken; a phone stream is audio/x-mulaw at 8000 Hz, mono (<Connect><Stream>).")]
    private static partial void LogBadFormat(ILogger logger, string stream, string encoding, int sampleRate, int channels);

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {Call}: keypad entry of {Digits} key(s) sent to the agent.")]
    private static partial void LogKeypad(ILogger logger, string call, int digits);

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {Call}: ended, {Reason} ({MediaIn} media messages in, {MediaOut} out, {Dropped} output frames dropped).")]
    private static partial void LogEnded(ILogger logger, string call, string reason, long mediaIn, long mediaOut, long dropped);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {Call}: the graph did not stop cleanly: {Reason}")]
    private static partial void LogStopFailed(ILogger logger, string call, string reason);
}
