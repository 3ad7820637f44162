using System.Net.WebSockets;

namespace V2V.AspNetCore;

/// <summary>A socket's first message: <c>start</c>, in time, or the page is told why not and the socket closed.</summary>
internal sealed partial class VoiceAgentConnection
{
    /// <summary>
    /// The page's <c>start</c>, or null when it sent something else (told, and the socket closed), none in time, or left.
    /// The read is raced against the deadline rather than cancelled by it: a cancelled read aborts the socket, and the
    /// page is to be told why it is closed.
    /// </summary>
    private async Task<PageCommand.Start?> ReadStartAsync(PageSender sender)
    {
        var read = WholeMessages.ReceiveAsync(socket, _buffer, http.RequestAborted).AsTask();
        var deadline = Task.Delay(options.StartTimeout, stopping);
        if (await Task.WhenAny(read, deadline).ConfigureAwait(false) != read)
        {
            var shuttingDown = stopping.IsCancellationRequested;
            LogNoStart(logger, shuttingDown ? "the server is shutting down" : $"no start within {options.StartTimeout.TotalSeconds:0.#} s");
            await FailAsync(sender, shuttingDown ? "the server is shutting down" : $"no 'start' came within {options.StartTimeout.TotalSeconds:0.#} s of the connection",
                shuttingDown ? "shutting_down" : "start_timeout", shuttingDown ? WebSocketCloseStatus.EndpointUnavailable : WebSocketCloseStatus.PolicyViolation).ConfigureAwait(false);
            // The pending read ends with the page's answer to the close; a page that does not answer is dropped.
            if (await Task.WhenAny(read, Task.Delay(ClosePatience)).ConfigureAwait(false) != read)
            {
                socket.Abort();
            }
            await ((Task)read).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            return null;
        }
        (int Count, WebSocketMessageType Type)? first;
        try
        {
            first = await read.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            return null;
        }
        if (first is not { } message)
        {
            return null;
        }
        var command = message.Type == WebSocketMessageType.Text
            ? PageCommand.Parse(_buffer.AsSpan(0, message.Count))
            : new PageCommand.Malformed("audio came before 'start'; the first message must be {\"type\":\"start\",\"sampleRate\":...}");
        switch (command)
        {
            case PageCommand.Start start:
                return start;
            case PageCommand.Malformed bad:
                await FailAsync(sender, bad.Problem, "bad_start", WebSocketCloseStatus.PolicyViolation).ConfigureAwait(false);
                return null;
            default:
                await FailAsync(sender, "the first message must be {\"type\":\"start\",\"sampleRate\":...}", "bad_start", WebSocketCloseStatus.PolicyViolation).ConfigureAwait(false);
                return null;
        }
    }
}
