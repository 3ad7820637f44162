using System.Net.WebSockets;
using V2V.Voice;

namespace V2V.AspNetCore;

/// <summary>The session's way out to the page: its voice (each item announced), its events (the app's hook first).</summary>
internal sealed partial class VoiceAgentConnection
{
    /// <summary>The session's outputs to the page, in order, until the session stops (then the socket is closed) or the socket ends.</summary>
    private async Task PumpOutputsAsync(VoiceSession session, PageSender sender, CancellationTokenSource ended)
    {
        var fatal = false;
        string? item = null;
        try
        {
            await foreach (var output in session.ReadOutputsAsync(ended.Token).ConfigureAwait(false))
            {
                if (output.TryGetAudio(out var frame))
                {
                    using (frame)
                    {
                        if (frame.ItemId is { } itemId && itemId != item)
                        {
                            // The page counts what it plays of each item from here: its 'played' reports name it.
                            item = itemId;
                            if (!await sender.SendJsonAsync(PageEvents.AudioItem(itemId, frame.ItemEndMs - frame.Duration.TotalMilliseconds)).ConfigureAwait(false))
                            {
                                break;
                            }
                        }
                        if (!await sender.SendAudioAsync(frame.Memory).ConfigureAwait(false))
                        {
                            break;
                        }
                    }
                    continue;
                }
                fatal |= output.Event is V2V.Voice.Outputs.ErrorOutput { Fatal: true };
                await ObserveAsync(output.Event!, ended.Token).ConfigureAwait(false);
                if (PageEvents.For(output.Event!) is { } json && !await sender.SendJsonAsync(json).ConfigureAwait(false))
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (ended.IsCancellationRequested)
        {
            return; // the input side ended the session
        }
        // The session stopped by itself (a fatal error, told above) or the page stopped reading: the socket closes.
        await CloseAndLetGoAsync(sender, fatal ? WebSocketCloseStatus.InternalServerError : WebSocketCloseStatus.NormalClosure, fatal ? "session failed" : "session ended", ended).ConfigureAwait(false);
    }

    /// <summary>The app's <see cref="VoiceAgentEndpointOptions.OnEvent"/>: what it throws is logged, never the session's end.</summary>
    private async ValueTask ObserveAsync(V2V.Voice.Outputs.VoiceSessionEvent sessionEvent, CancellationToken ct)
    {
        if (options.OnEvent is not { } observe)
        {
            return;
        }
        try
        {
            await observe(http, sessionEvent, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            LogObserverFailed(logger, sessionEvent.GetType().Name, ex);
        }
    }
}
