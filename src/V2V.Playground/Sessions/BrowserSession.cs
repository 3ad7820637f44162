using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using V2V.AspNetCore;
using V2V.Frames;
using V2V.Graph;
using V2V.Graph.Definition;
using V2V.Graph.Hosting;
using V2V.Playground.Backend;
using V2V.Playground.Hosting;
using V2V.Playground.Telemetry;
using V2V.Ten;
using V2V.Ten.Messages;

namespace V2V.Playground.Sessions;

/// <summary>
/// One mic tab, from its <c>start</c> message to the socket's close: a graph of its own (mic and page nodes,
/// agent, tool), the socket's reader here, its writer in <see cref="PageWriter"/>. The graph is stopped when the page stops
/// or goes away.
/// </summary>
internal sealed partial class BrowserSession(WebSocket socket, SessionContext context, ILogger logger)
{
    private const int MaxMessageBytes = 64 * 1024;
    private static readonly TimeSpan StartPatience = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan StopPatience = TimeSpan.FromSeconds(10);

    private readonly string _id = Guid.NewGuid().ToString("N")[..8];

    /// <param name="gate">The server's drain: when it begins the page is told and the session goes on; at its deadline the
    /// session ends as if the page had stopped it.</param>
    /// <param name="cancellationToken">The page is gone or the server stops: the session ends at once.</param>
    public async Task RunAsync(SessionGate gate, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxMessageBytes];
        await using var page = new PageWriter(socket, context.Secrets);
        using var trace = new SessionTrace(_id, context.Backend);
        using var told = gate.Draining.Register(() => page.TryQueueJson(PageMessages.Notice(DrainNotice.Text(gate.DrainTimeout), "draining")));
        RunningGraph? graph = null;
        try
        {
            using var startTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            startTimeout.CancelAfter(StartPatience);
            var first = await ReceiveAsync(buffer, startTimeout.Token).ConfigureAwait(false);
            if (first is not { Type: WebSocketMessageType.Text } start)
            {
                await CloseAsync(page, WebSocketCloseStatus.PolicyViolation, "expected a start message").ConfigureAwait(false);
                return;
            }
            var settings = SessionSettings.Parse(buffer.AsSpan(0, start.Count), out var problem);
            if (problem is not null)
            {
                await page.SendJsonAsync(PageMessages.Error(problem, "bad_start", fatal: true), cancellationToken).ConfigureAwait(false);
                await CloseAsync(page, WebSocketCloseStatus.PolicyViolation, "bad start message").ConfigureAwait(false);
                return;
            }
            trace.Started(settings.Voice, settings.TurnMode, settings.SampleRate);
            var mic = new MicExtension();
            graph = await StartGraphAsync(settings, mic, new PageExtension(page, trace), page, cancellationToken).ConfigureAwait(false);
            if (graph is null)
            {
                trace.Ended("start_failed", failed: true);
                await CloseAsync(page, WebSocketCloseStatus.InternalServerError, "the session could not start").ConfigureAwait(false);
                return;
            }
            await page.SendJsonAsync(PageMessages.Ready(_id, context.Backend, SessionGraph.OutputSampleRate), cancellationToken).ConfigureAwait(false);
            await mic.SendCmdAsync("on_user_joined", cancellationToken).ConfigureAwait(false);
            var reason = await PumpAsync(buffer, settings, mic, page, trace, gate.Deadline, cancellationToken).ConfigureAwait(false);
            trace.Ended(reason, failed: false);
            LogEnded(logger, _id, reason, mic.Frames, page.AudioDropped);
            await StopGraphAsync(graph, mic).ConfigureAwait(false);
            graph = null;
            await CloseAsync(page, reason == DrainNotice.Ended ? WebSocketCloseStatus.EndpointUnavailable : WebSocketCloseStatus.NormalClosure, reason).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            var reason = ex is OperationCanceledException ? "server stopping or start timed out" : "connection lost";
            trace.Ended(reason, failed: ex is WebSocketException);
            LogEnded(logger, _id, reason, 0, page.AudioDropped);
        }
        finally
        {
            if (graph is not null)
            {
                await graph.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private async Task<RunningGraph?> StartGraphAsync(SessionSettings settings, MicExtension mic, PageExtension pageNode, PageWriter page, CancellationToken cancellationToken)
    {
        var options = new GraphHostOptions { LoggerFactory = context.LoggerFactory, Environment = context.Environment };
        GraphHost host;
        GraphDefinition definition;
        if (context.App is { } app)
        {
            // A TEN app's graph: this tab is its RTC node, mic and page in one (the graph routes both ways through it).
            foreach (var (node, addon) in app.Bindings)
            {
                options.Bindings[node] = addon;
            }
            host = new GraphHost(app.Addons.With(BrowserAddons.For(new PlaygroundRtc(mic, pageNode, page))), options);
            definition = AppSessionGraph.Build(app, settings, context.ServerProperties);
        }
        else
        {
            host = new GraphHost(SessionGraph.Registry(context.Agent, context.Tool, mic, pageNode), options);
            definition = SessionGraph.Build(settings, context.ServerProperties);
        }
        try
        {
            var graph = await host.StartAsync(definition, cancellationToken).ConfigureAwait(false);
            LogStarted(logger, _id, settings.Voice, settings.TurnMode, settings.SampleRate, context.Backend.Kind);
            return graph;
        }
        catch (Exception ex) when (ex is GraphValidationException or GraphRunException or TenPropertyException)
        {
            // Messages of the realtime client and the properties never hold the key; the page writer masks it anyway.
            var line = StartFailure.Describe(ex, context.RefusedKeyFix);
            LogStartFailed(logger, _id, line);
            await page.SendJsonAsync(PageMessages.Error(line, "start_failed", fatal: true), cancellationToken).ConfigureAwait(false);
            return null;
        }
    }

    // Reads the page until it stops or leaves: binary messages are microphone audio, text messages are JSON commands.
    // At the drain's deadline it returns with the receive still pending: cancelling a WebSocket's receive would abort
    // the socket, and the graph's last words (the transcript's end) and the close must still reach the page.
    private async Task<string> PumpAsync(byte[] buffer, SessionSettings settings, MicExtension mic, PageWriter page, SessionTrace trace, CancellationToken deadline, CancellationToken cancellationToken)
    {
        while (true)
        {
            var receive = ReceiveAsync(buffer, cancellationToken);
            try
            {
                await receive.WaitAsync(deadline).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested && !receive.IsCompleted)
            {
                _ = receive.ContinueWith(static t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
                return DrainNotice.Ended;
            }
            var message = await receive.ConfigureAwait(false);
            if (message is not { } m || m.Type == WebSocketMessageType.Close)
            {
                return "the page closed the connection";
            }
            if (m.Type == WebSocketMessageType.Binary)
            {
                // Whole pcm16 samples only. The graph queues the frame, so it gets a pooled buffer of its own (the
                // receive buffer is filled again by the next message); the agent disposes it.
                var count = m.Count & ~1;
                if (count > 0)
                {
                    var frame = PcmFrame.Rent(count, settings.SampleRate);
                    buffer.AsSpan(0, count).CopyTo(frame.WritableSpan);
                    await mic.SendAudioAsync(frame, cancellationToken).ConfigureAwait(false);
                }
                continue;
            }
            if (ReadCommand(buffer.AsSpan(0, m.Count)) is not { } command)
            {
                continue;
            }
            switch (Text(command, "type"))
            {
                case "stop":
                    return "the page stopped the session";
                case "text" when Text(command, "text") is { Length: > 0 } text:
                    trace.UserTurnEnded("text");
                    await mic.SendTextAsync(text, cancellationToken).ConfigureAwait(false);
                    break;
                case "interrupt":
                    await mic.SendCmdAsync("flush", cancellationToken).ConfigureAwait(false);
                    break;
                // What the page's player played of the agent's item: audio_played into the agent, which truncates there.
                case "played" when PageCommand.ParsePlayed(command) is PageCommand.Played played:
                    await mic.SendPlayedAsync(played.ItemId, played.Ms, cancellationToken).ConfigureAwait(false);
                    break;
                case "mcp_approval":
                    await AnswerMcpApprovalAsync(command, mic, page, cancellationToken).ConfigureAwait(false);
                    break;
            }
        }
    }

    // The visitor's answer to an MCP approval request. A malformed one is not sent; one the agent refuses (not pending:
    // answered already, or unknown; no route in a TEN app's graph) is told to the page. Neither ends the session.
    private async Task AnswerMcpApprovalAsync(JsonElement command, MicExtension mic, PageWriter page, CancellationToken cancellationToken)
    {
        if (McpApprovalMessage.Parse(command, out var problem) is not { } approval)
        {
            await page.SendJsonAsync(PageMessages.Error(problem!, "bad_mcp_approval", fatal: false), cancellationToken).ConfigureAwait(false);
            return;
        }
        var result = await mic.SendCmdAsync(approval.ToCmd(), cancellationToken).ConfigureAwait(false);
        if (result.Status != StatusCode.Ok)
        {
            var why = result.Detail ?? "the agent did not take the answer.";
            LogApprovalRefused(logger, _id, why);
            await page.SendJsonAsync(PageMessages.Error(why, "mcp_approval_refused", fatal: false), cancellationToken).ConfigureAwait(false);
            return;
        }
        LogApproval(logger, _id, approval.Approve ? "allowed" : "denied", approval.RequestId);
    }

    // A JSON object (its root cloned: the message's buffer is reused), or null for anything else.
    private static JsonElement? ReadCommand(ReadOnlySpan<byte> utf8Json)
    {
        try
        {
            var reader = new Utf8JsonReader(utf8Json);
            using var document = JsonDocument.ParseValue(ref reader);
            return document.RootElement.ValueKind == JsonValueKind.Object ? document.RootElement.Clone() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Text(JsonElement command, string name) =>
        command.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private Task<(int Count, WebSocketMessageType Type)?> ReceiveAsync(byte[] buffer, CancellationToken cancellationToken) =>
        WholeMessages.ReceiveAsync(socket, buffer, cancellationToken).AsTask(); // the pump waits on it with a deadline

    private async Task StopGraphAsync(RunningGraph graph, MicExtension mic)
    {
        using var patience = new CancellationTokenSource(StopPatience);
        try
        {
            await mic.SendCmdAsync("on_user_left", patience.Token).ConfigureAwait(false);
            await graph.StopAsync(patience.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is GraphRunException or OperationCanceledException)
        {
            LogStopFailed(logger, _id, ex.Message);
        }
        await graph.DisposeAsync().ConfigureAwait(false);
    }

    private async Task CloseAsync(PageWriter page, WebSocketCloseStatus status, string reason)
    {
        // The writer sends what it holds first: a WebSocket takes one send at a time, and the close is a send.
        await page.DrainAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
        if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            try
            {
                await socket.CloseOutputAsync(status, reason.Length > 120 ? reason[..120] : reason, patience.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
            {
                // The page is gone already.
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Session {Session}: started (voice {Voice}, {TurnMode}, microphone at {SampleRate} Hz, backend {Backend}).")]
    private static partial void LogStarted(ILogger logger, string session, string voice, string turnMode, int sampleRate, string backend);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Session {Session}: {Reason}")]
    private static partial void LogStartFailed(ILogger logger, string session, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Session {Session}: ended, {Reason} ({MicFrames} microphone frames in, {Dropped} output frames dropped).")]
    private static partial void LogEnded(ILogger logger, string session, string reason, long micFrames, long dropped);

    [LoggerMessage(Level = LogLevel.Information, Message = "Session {Session}: the page {Answer} the MCP call of approval request {RequestId}.")]
    private static partial void LogApproval(ILogger logger, string session, string answer, string requestId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Session {Session}: the agent did not take the page's MCP approval: {Reason}")]
    private static partial void LogApprovalRefused(ILogger logger, string session, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Session {Session}: the graph did not stop cleanly: {Reason}")]
    private static partial void LogStopFailed(ILogger logger, string session, string reason);
}
