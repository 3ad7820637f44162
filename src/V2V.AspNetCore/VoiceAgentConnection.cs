using System.Net.WebSockets;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using V2V.Realtime.Client;
using V2V.Voice;

namespace V2V.AspNetCore;

/// <summary>
/// One page's socket, PROTOCOL.md from <c>start</c> to close: waits for <c>start</c>, starts the voice session, then
/// runs two loops until either ends: the page's messages into the session (audio straight in, commands), and the
/// session's outputs out to the page (<see cref="PageSender"/>). The session is disposed whatever ends it.
/// </summary>
internal sealed partial class VoiceAgentConnection(HttpContext http, WebSocket socket, VoiceAgentEndpointOptions options, VoiceSessionFactory factory, SessionSlots slots, VoiceAgentMetrics metrics, ILogger logger, CancellationToken stopping)
{
    /// <summary>The largest message a page may send: 64 KiB (a 20 ms chunk at 48 kHz is under 2 KiB).</summary>
    public const int MaxMessageBytes = 64 * 1024;

    // How long the page has to answer a close before its socket is dropped.
    private static readonly TimeSpan ClosePatience = TimeSpan.FromSeconds(5);

    private readonly string _id = Guid.NewGuid().ToString("N")[..12];
    private readonly byte[] _buffer = new byte[MaxMessageBytes];

    public async Task RunAsync()
    {
        using var ended = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
        using var scope = logger.BeginScope("voice agent socket {Socket}", _id);
        using var sender = new PageSender(socket, options.SendTimeout, ended.Token);
        if (await ReadStartAsync(sender).ConfigureAwait(false) is { } start)
        {
            if (slots.TryTake())
            {
                try
                {
                    await RunSessionAsync(start, sender, ended).ConfigureAwait(false);
                }
                finally
                {
                    slots.Give();
                }
            }
            else
            {
                LogFull(logger, slots.Taken);
                await FailAsync(sender, "the voice agent is at its limit of sessions; try again later", "full", WebSocketCloseStatus.EndpointUnavailable).ConfigureAwait(false);
            }
        }
        await sender.CloseAsync(WebSocketCloseStatus.NormalClosure, "session ended").ConfigureAwait(false);
        await AwaitPageCloseAsync().ConfigureAwait(false);
    }

    private async Task RunSessionAsync(PageCommand.Start start, PageSender sender, CancellationTokenSource ended)
    {
        VoiceSessionOptions sessionOptions;
        VoiceSession session;
        try
        {
            sessionOptions = factory.CreateOptions(configure: null);
            if (options.ConfigureSession is { } configure)
            {
                await configure(http, sessionOptions, ended.Token).ConfigureAwait(false);
            }
            // The page's capability, not the app's choice: a page that does not report would have every barge-in truncate at 0.
            sessionOptions.TransportReportsPlayed = start.ReportsPlayed;
            // From here the secrets are known: the sender masks them in every text (a last line of defence; nothing should hold one).
            sender.Mask([sessionOptions.Connection.ApiKey, sessionOptions.Connection.BearerToken, .. sessionOptions.McpServers.Select(m => m.Authorization)]);
            session = await VoiceSession.StartAsync(sessionOptions, ended.Token).ConfigureAwait(false);
            if (options.OnSessionStarted is { } started)
            {
                try
                {
                    await started(http, session, ended.Token).ConfigureAwait(false);
                }
                catch
                {
                    await session.DisposeAsync().ConfigureAwait(false);
                    throw;
                }
            }
        }
        catch (OperationCanceledException) when (ended.IsCancellationRequested)
        {
            return; // the page went away while its session started
        }
        catch (Exception ex)
        {
            LogStartFailed(logger, ex.GetType().Name, SecretRedactor.RedactKeys(ex.Message));
            await FailAsync(sender, $"the voice session could not start: {ex.Message}", "start_failed", WebSocketCloseStatus.InternalServerError).ConfigureAwait(false);
            return;
        }

        metrics.SessionStarted();
        try
        {
            await using (session.ConfigureAwait(false))
            {
                LogStarted(logger, start.SampleRate);
                await sender.SendJsonAsync(PageEvents.Ready(_id, sessionOptions.OutputSampleRate)).ConfigureAwait(false);
                var outputs = PumpOutputsAsync(session, sender, ended);
                using (stopping.Register(() => _ = ShutDownAsync(sender, ended)))
                {
                    try
                    {
                        await session.UserJoinedAsync(ended.Token).ConfigureAwait(false); // a greeting, when one is configured, is spoken now
                        await PumpInputAsync(session, start.SampleRate, sender, ended.Token).ConfigureAwait(false);
                    }
                    catch (Exception ex) when (ex is ObjectDisposedException or OperationCanceledException)
                    {
                        // The session stopped (its fatal error goes to the page from the output pump) or the socket ended.
                    }
                }
                // The page stopped, left, or answered a close from this side: nothing more goes to it.
                await sender.CloseAsync(WebSocketCloseStatus.NormalClosure, "session ended").ConfigureAwait(false);
                await ended.CancelAsync().ConfigureAwait(false);
                await outputs.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
        finally
        {
            metrics.SessionEnded();
        }
        LogEnded(logger);
    }

    /// <summary>The page's messages into the session, until the page closes or stops, or the socket is closed from this side.</summary>
    private async Task PumpInputAsync(VoiceSession session, int sampleRate, PageSender sender, CancellationToken ct)
    {
        while (await ReceiveAsync(ct).ConfigureAwait(false) is { } message)
        {
            if (message.Type == WebSocketMessageType.Binary)
            {
                var count = message.Count & ~1; // an odd trailing byte is half a sample
                if (count > 0)
                {
                    await session.SendAudioAsync(_buffer.AsMemory(0, count), sampleRate, channels: 1, ct).ConfigureAwait(false);
                }
                continue; // a session that stopped throws ObjectDisposedException: the caller ends the loop
            }
            if (!await RunCommandAsync(session, PageCommand.Parse(_buffer.AsSpan(0, message.Count)), sender, ct).ConfigureAwait(false))
            {
                return;
            }
        }
    }

    /// <summary>One command of the page; false for <c>stop</c>.</summary>
    private async Task<bool> RunCommandAsync(VoiceSession session, PageCommand command, PageSender sender, CancellationToken ct)
    {
        try
        {
            switch (command)
            {
                case PageCommand.Stop:
                    return false;
                case PageCommand.Text text:
                    await session.SendTextAsync(text.Words, ct).ConfigureAwait(false);
                    break;
                case PageCommand.Played played:
                    session.ReportPlayed(played.ItemId, played.Ms); // ignored when the page did not say it reports
                    break;
                case PageCommand.Interrupt:
                    await session.InterruptAsync(ct).ConfigureAwait(false);
                    break;
                case PageCommand.McpApproval approval:
                    await Refusable(session.AnswerMcpApprovalAsync(approval.RequestId, approval.Approve, approval.Reason, ct), "mcp_approval_refused", sender).ConfigureAwait(false);
                    break;
                case PageCommand.Start:
                    await sender.SendJsonAsync(PageEvents.Error("'start' was sent again: a socket has one session; open another socket for another", "bad_message", fatal: false)).ConfigureAwait(false);
                    break;
                case PageCommand.Malformed bad:
                    await sender.SendJsonAsync(PageEvents.Error(bad.Problem, "bad_message", fatal: false)).ConfigureAwait(false);
                    break;
            }
        }
        catch (ArgumentException ex)
        {
            // A value the session refuses that the message's reading let through: told, and the session goes on.
            await sender.SendJsonAsync(PageEvents.Error(ex.Message, "bad_message", fatal: false)).ConfigureAwait(false);
        }
        return true;
    }

    private static async Task Refusable(Task call, string code, PageSender sender)
    {
        try
        {
            await call.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is ArgumentException or (InvalidOperationException and not ObjectDisposedException))
        {
            await sender.SendJsonAsync(PageEvents.Error(ex.Message, code, fatal: false)).ConfigureAwait(false);
        }
    }

    private async Task ShutDownAsync(PageSender sender, CancellationTokenSource ended)
    {
        LogShuttingDown(logger);
        await sender.SendJsonAsync(PageEvents.Error("the server is shutting down", "shutting_down", fatal: true)).ConfigureAwait(false);
        await CloseAndLetGoAsync(sender, WebSocketCloseStatus.EndpointUnavailable, "server shutting down", ended).ConfigureAwait(false);
    }

    /// <summary>Closes the socket from this side and gives the page <see cref="ClosePatience"/> to answer before it is dropped.</summary>
    private static async Task CloseAndLetGoAsync(PageSender sender, WebSocketCloseStatus status, string reason, CancellationTokenSource ended)
    {
        await sender.CloseAsync(status, reason).ConfigureAwait(false);
        try
        {
            ended.CancelAfter(ClosePatience);
        }
        catch (ObjectDisposedException)
        {
            // The connection has ended already.
        }
    }

    private async Task<(int Count, WebSocketMessageType Type)?> ReceiveAsync(CancellationToken ct)
    {
        try
        {
            var message = await WholeMessages.ReceiveAsync(socket, _buffer, ct).ConfigureAwait(false);
            if (message is null && socket.CloseStatus == WebSocketCloseStatus.MessageTooBig)
            {
                LogTooBig(logger, MaxMessageBytes);
            }
            return message;
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            return null; // the page went away, or was let go after a close it did not answer
        }
    }

    private async Task FailAsync(PageSender sender, string message, string code, WebSocketCloseStatus status)
    {
        metrics.Refused(code);
        await sender.SendJsonAsync(PageEvents.Error(message, code, fatal: true)).ConfigureAwait(false);
        await sender.CloseAsync(status, code).ConfigureAwait(false);
    }

    /// <summary>After a close from this side: reads until the page answers it, for at most <see cref="ClosePatience"/>.</summary>
    private async Task AwaitPageCloseAsync()
    {
        if (socket.State != WebSocketState.CloseSent)
        {
            return;
        }
        using var patience = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
        patience.CancelAfter(ClosePatience);
        var scratch = new byte[1024];
        try
        {
            while (socket.State == WebSocketState.CloseSent)
            {
                await socket.ReceiveAsync(scratch.AsMemory(), patience.Token).ConfigureAwait(false); // what the page sent before it saw the close is not read
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            // It did not answer: the connection is dropped.
        }
    }
}
