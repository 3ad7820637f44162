using System.Net.WebSockets;
using Microsoft.Extensions.Logging;

namespace V2V.AspNetCore;

/// <summary>A socket's first message: <c>start</c> or <c>resume</c>, in time, or the page is told why not and the socket closed.</summary>
internal sealed partial class VoiceAgentConnection
{
    /// <summary>
    /// Serves one accepted socket: a new session for a <c>start</c>, a session taken back for a <c>resume</c>; returns
    /// once the socket is closed.
    /// </summary>
    public static async Task ServeAsync(PageLink link, VoiceAgentEndpoint endpoint)
    {
        switch (await ReadFirstAsync(link, endpoint).ConfigureAwait(false))
        {
            case PageCommand.Start start:
                await new VoiceAgentConnection(link.Http, endpoint).RunAsync(start, link).ConfigureAwait(false);
                break;
            case PageCommand.Resume resume:
                await ResumeAsync(resume, link, endpoint).ConfigureAwait(false);
                break;
        }
        await link.FinishAsync(WebSocketCloseStatus.NormalClosure, "session ended").ConfigureAwait(false);
    }

    /// <summary>
    /// The page's <c>start</c> or <c>resume</c>, or null when it sent something else (told, and the socket closed), none
    /// in time, or left. The read is raced against the deadline rather than cancelled by it: a cancelled read aborts the
    /// socket, and the page is to be told why it is closed.
    /// </summary>
    private static async Task<PageCommand?> ReadFirstAsync(PageLink link, VoiceAgentEndpoint endpoint)
    {
        var (options, logger) = (endpoint.Options, endpoint.Logger);
        var read = link.ReceiveAsync(link.Http.RequestAborted).AsTask();
        var deadline = Task.Delay(options.StartTimeout, endpoint.Stopping);
        if (await Task.WhenAny(read, deadline).ConfigureAwait(false) != read)
        {
            var shuttingDown = endpoint.Stopping.IsCancellationRequested;
            LogNoStart(logger, shuttingDown ? "the server is shutting down" : $"no start within {options.StartTimeout.TotalSeconds:0.#} s");
            await FailAsync(link, endpoint, shuttingDown ? "the server is shutting down" : $"no 'start' came within {options.StartTimeout.TotalSeconds:0.#} s of the connection",
                shuttingDown ? "shutting_down" : "start_timeout", shuttingDown ? WebSocketCloseStatus.EndpointUnavailable : WebSocketCloseStatus.PolicyViolation).ConfigureAwait(false);
            // The pending read ends with the page's answer to the close; a page that does not answer is dropped.
            if (await Task.WhenAny(read, Task.Delay(PageLink.ClosePatience)).ConfigureAwait(false) != read)
            {
                link.Abort();
            }
            await ((Task)read).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            return null;
        }
        var message = await read.ConfigureAwait(false);
        if (message.IsLost || message.IsClosed)
        {
            return null;
        }
        var command = message.Type == WebSocketMessageType.Text
            ? PageCommand.Parse(link.Buffer.AsSpan(0, message.Count))
            : new PageCommand.Malformed("audio came before 'start'; the first message must be {\"type\":\"start\",\"sampleRate\":...}");
        switch (command)
        {
            case PageCommand.Start or PageCommand.Resume:
                return command;
            case PageCommand.Malformed bad:
                await FailAsync(link, endpoint, bad.Problem, "bad_start", WebSocketCloseStatus.PolicyViolation).ConfigureAwait(false);
                return null;
            default:
                await FailAsync(link, endpoint, "the first message must be {\"type\":\"start\",\"sampleRate\":...} (or 'resume' with the token of a session's 'ready')", "bad_start", WebSocketCloseStatus.PolicyViolation).ConfigureAwait(false);
                return null;
        }
    }

    /// <summary>Refuses the socket: a fatal <c>error</c> naming <paramref name="code"/>, then the close.</summary>
    private static async Task FailAsync(PageLink link, VoiceAgentEndpoint endpoint, string message, string code, WebSocketCloseStatus status)
    {
        endpoint.Metrics.Refused(code);
        await link.Sender.SendJsonAsync(PageEvents.Error(message, code, fatal: true)).ConfigureAwait(false);
        await link.Sender.CloseAsync(status, code).ConfigureAwait(false);
    }
}
