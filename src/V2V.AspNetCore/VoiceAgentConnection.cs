using System.Net.WebSockets;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using V2V.Realtime.Client;
using V2V.Voice;

namespace V2V.AspNetCore;

/// <summary>
/// One page's voice session, PROTOCOL.md from <c>start</c> to its end, held by the request whose socket started it:
/// starts the voice session, then runs two loops until the session ends: the page's messages into the session (audio
/// straight in, commands) from whichever socket of the page is attached, and the session's outputs out to it
/// (<see cref="PageOutlet"/>). A socket lost without a close does not end the session at once: the page may resume it
/// on another socket within <see cref="VoiceAgentEndpointOptions.ResumeWindow"/> (VoiceAgentConnection.Resume.cs).
/// The session is disposed whatever ends it.
/// </summary>
internal sealed partial class VoiceAgentConnection(HttpContext http, VoiceAgentEndpoint endpoint)
{
    /// <summary>The largest message a page may send: 64 KiB (a 20 ms chunk at 48 kHz is under 2 KiB).</summary>
    public const int MaxMessageBytes = 64 * 1024;

    private readonly string _id = Guid.NewGuid().ToString("N")[..12];
    private readonly VoiceAgentEndpointOptions _options = endpoint.Options;
    private readonly ILogger _logger = endpoint.Logger;
    private readonly PageOutlet _outlet = new();
    private PageToolCalls? _pageCalls;

    private async Task RunAsync(PageCommand.Start start, PageLink first)
    {
        using var scope = _logger.BeginScope("voice agent socket {Socket}", _id);
        if (!endpoint.Slots.TryTake())
        {
            LogFull(_logger, endpoint.Slots.Taken);
            await FailAsync(first, endpoint, "the voice agent is at its limit of sessions; try again later", "full", WebSocketCloseStatus.EndpointUnavailable).ConfigureAwait(false);
            return;
        }
        try
        {
            await RunSessionAsync(start, first).ConfigureAwait(false);
        }
        finally
        {
            endpoint.Slots.Give();
            await RefuseOffersAsync().ConfigureAwait(false);
            _outlet.Dispose();
        }
    }

    private async Task RunSessionAsync(PageCommand.Start start, PageLink first)
    {
        using var ended = new CancellationTokenSource();
        VoiceSessionOptions sessionOptions;
        VoiceSession session;
        // Until the session has started it is the first socket's: its page going away stops the start.
        using (var starting = CancellationTokenSource.CreateLinkedTokenSource(ended.Token, first.Http.RequestAborted))
        {
            try
            {
                sessionOptions = endpoint.Factory.CreateOptions(configure: null);
                if (PageToolsRefusal(start.Tools, sessionOptions) is { } refusal)
                {
                    await FailAsync(first, endpoint, refusal, "bad_start", WebSocketCloseStatus.PolicyViolation).ConfigureAwait(false);
                    return;
                }
                if (_options.ConfigureSession is { } configure)
                {
                    await configure(http, sessionOptions, starting.Token).ConfigureAwait(false);
                }
                // The page's capability, not the app's choice: a page that does not report would have every barge-in truncate at 0.
                sessionOptions.TransportReportsPlayed = start.ReportsPlayed;
                // From here the secrets are known: the sender masks them in every text (a last line of defence; nothing should hold one).
                _secrets = new SecretMask([sessionOptions.Connection.ApiKey, sessionOptions.Connection.BearerToken, .. sessionOptions.McpServers.Select(m => m.Authorization)]);
                first.Sender.Mask(_secrets);
                session = await VoiceSession.StartAsync(sessionOptions, starting.Token).ConfigureAwait(false);
                if (_options.OnSessionStarted is { } started)
                {
                    try
                    {
                        await started(http, session, starting.Token).ConfigureAwait(false);
                    }
                    catch
                    {
                        await session.DisposeAsync().ConfigureAwait(false);
                        throw;
                    }
                }
            }
            catch (OperationCanceledException) when (starting.IsCancellationRequested)
            {
                return; // the page went away while its session started
            }
            catch (Exception ex)
            {
                LogStartFailed(_logger, ex.GetType().Name, SecretRedactor.RedactKeys(ex.Message));
                await FailAsync(first, endpoint, $"the voice session could not start: {ex.Message}", "start_failed", WebSocketCloseStatus.InternalServerError).ConfigureAwait(false);
                return;
            }
        }

        endpoint.Metrics.SessionStarted();
        try
        {
            await using (session.ConfigureAwait(false))
            {
                LogStarted(_logger, start.SampleRate);
                _outputRate = sessionOptions.OutputSampleRate;
                var outputs = PumpOutputsAsync(session, ended);
                using (endpoint.Stopping.Register(() => _ = ShutDownAsync(ended)))
                {
                    var last = await RunLinksAsync(session, first, start.SampleRate, ended).ConfigureAwait(false);
                    // The page stopped, left, or answered a close from this side: nothing more goes to it.
                    if (last is not null)
                    {
                        await last.Sender.CloseAsync(WebSocketCloseStatus.NormalClosure, "session ended").ConfigureAwait(false);
                        last.Release();
                    }
                }
                endpoint.Tokens.Revoke(_token);
                await ended.CancelAsync().ConfigureAwait(false);
                await outputs.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
        finally
        {
            endpoint.Metrics.SessionEnded();
        }
        LogEnded(_logger);
    }

    /// <summary>
    /// Adds the page's tools to the session's (before the app's <see cref="VoiceAgentEndpointOptions.ConfigureSession"/>,
    /// which sees them); why not, when they are refused.
    /// </summary>
    private string? PageToolsRefusal(IReadOnlyList<PageCommand.ToolSpec> tools, VoiceSessionOptions sessionOptions)
    {
        if (tools.Count == 0)
        {
            return null;
        }
        if (!_options.AllowPageTools)
        {
            return "this voice agent takes no tools from its page ('tools' in 'start'; VoiceAgentEndpointOptions.AllowPageTools is false)";
        }
        if (tools.FirstOrDefault(t => sessionOptions.Tools.Any(own => own.Name == t.Name)) is { } taken)
        {
            return $"'tools' names '{taken.Name}', which is a tool of the app's: give the page's tool another name";
        }
        _pageCalls = new PageToolCalls(async json => await _outlet.SendJsonAsync(json).ConfigureAwait(false));
        // A new list: the app's may be one list shared by every session's options.
        sessionOptions.Tools = [.. sessionOptions.Tools, .. tools.Select(t => new PageTool(t, _pageCalls))];
        return null;
    }

    /// <summary>The page's messages into the session, until the page closes, stops or is lost, or the socket is closed from this side.</summary>
    private async Task<LinkEnd> PumpInputAsync(VoiceSession session, PageLink link, int sampleRate, CancellationToken ct)
    {
        while (true)
        {
            var message = await link.ReceiveAsync(ct).ConfigureAwait(false);
            if (message.IsLost)
            {
                return LinkEnd.Lost;
            }
            if (message.IsClosed)
            {
                if (link.Socket.CloseStatus == WebSocketCloseStatus.MessageTooBig)
                {
                    LogTooBig(_logger, MaxMessageBytes);
                }
                return LinkEnd.Closed;
            }
            if (message.Type == WebSocketMessageType.Binary)
            {
                var count = message.Count & ~1; // an odd trailing byte is half a sample
                if (count > 0)
                {
                    await session.SendAudioAsync(link.Buffer.AsMemory(0, count), sampleRate, channels: 1, ct).ConfigureAwait(false);
                }
                continue; // a session that stopped throws ObjectDisposedException: the caller ends the loop
            }
            if (!await RunCommandAsync(session, PageCommand.Parse(link.Buffer.AsSpan(0, message.Count)), link.Sender, ct).ConfigureAwait(false))
            {
                return LinkEnd.Closed;
            }
        }
    }

    /// <summary>How a socket of the page ended.</summary>
    private enum LinkEnd
    {
        /// <summary>Closed (by the page, or answering a close from here), or <c>stop</c>: the session ends.</summary>
        Closed,

        /// <summary>Failed without a close (or a newer socket of the page replaced it): the page may resume.</summary>
        Lost,
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
                case PageCommand.Ping ping:
                    await sender.SendJsonAsync(PageEvents.Pong(ping.Id)).ConfigureAwait(false); // this socket's, not the session's: straight out
                    break;
                case PageCommand.Interrupt:
                    await session.InterruptAsync(ct).ConfigureAwait(false);
                    break;
                case PageCommand.McpApproval approval:
                    await Refusable(session.AnswerMcpApprovalAsync(approval.RequestId, approval.Approve, approval.Reason, ct), "mcp_approval_refused", sender).ConfigureAwait(false);
                    break;
                case PageCommand.ToolResult result:
                    if (_pageCalls?.Answer(result.CallId, result.Output, result.Error) != true)
                    {
                        await sender.SendJsonAsync(PageEvents.Error($"no tool call waits for 'callId' '{result.CallId}': it was answered already, or timed out (the session's ToolTimeout), or never was", "bad_message", fatal: false)).ConfigureAwait(false);
                    }
                    break;
                case PageCommand.Start or PageCommand.Resume:
                    await sender.SendJsonAsync(PageEvents.Error($"'{(command is PageCommand.Start ? "start" : "resume")}' was sent again: it is a socket's first message only; open another socket for another session", "bad_message", fatal: false)).ConfigureAwait(false);
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

    private async Task ShutDownAsync(CancellationTokenSource ended)
    {
        LogShuttingDown(_logger);
        _shuttingDown = true;
        if (Volatile.Read(ref _current) is { } link)
        {
            await link.Sender.SendJsonAsync(PageEvents.Error("the server is shutting down", "shutting_down", fatal: true)).ConfigureAwait(false);
            await CloseAndLetGoAsync(link, WebSocketCloseStatus.EndpointUnavailable, "server shutting down", ended).ConfigureAwait(false);
        }
        else
        {
            WakeFromPark(); // no page to tell: a session waiting for its page ends now
        }
    }

    /// <summary>Closes the socket from this side and gives the page <see cref="PageLink.ClosePatience"/> to answer before it is dropped.</summary>
    private static async Task CloseAndLetGoAsync(PageLink link, WebSocketCloseStatus status, string reason, CancellationTokenSource ended)
    {
        await link.Sender.CloseAsync(status, reason).ConfigureAwait(false);
        try
        {
            ended.CancelAfter(PageLink.ClosePatience);
        }
        catch (ObjectDisposedException)
        {
            // The connection has ended already.
        }
    }
}
