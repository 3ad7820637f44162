using System.Net.WebSockets;
using V2V.Voice;

namespace V2V.AspNetCore;

/// <summary>The session's way out to the page: its voice (each item announced), its events (the app's hook first).</summary>
internal sealed partial class VoiceAgentConnection
{
    /// <summary>
    /// The session's outputs to the page's socket, in order, until the session stops (then the socket is closed) or
    /// ends. While the page is away its events are kept and its voice dropped (<see cref="PageOutlet"/>).
    /// </summary>
    private async Task PumpOutputsAsync(VoiceSession session, CancellationTokenSource ended)
    {
        var fatal = false;
        try
        {
            await foreach (var output in session.ReadOutputsAsync(ended.Token).ConfigureAwait(false))
            {
                PageOutlet.Delivery delivery;
                if (output.TryGetAudio(out var frame))
                {
                    using (frame)
                    {
                        delivery = await _outlet.SendAudioAsync(frame).ConfigureAwait(false);
                    }
                }
                else
                {
                    fatal |= output.Event is V2V.Voice.Outputs.ErrorOutput { Fatal: true };
                    await ObserveAsync(output.Event!, ended.Token).ConfigureAwait(false);
                    if (PageEvents.For(output.Event!) is not { } json)
                    {
                        continue;
                    }
                    delivery = await _outlet.SendJsonAsync(json).ConfigureAwait(false);
                }
                if (delivery == PageOutlet.Delivery.Failed && !endpoint.Resumable)
                {
                    break; // the page stopped reading (SendTimeout) or its socket broke, and it cannot come back
                }
                if (delivery == PageOutlet.Delivery.Failed && Volatile.Read(ref _current) is { Sender.IsOpen: false } failed)
                {
                    failed.Abort(); // its input side sees the loss: the session waits for the page
                }
            }
        }
        catch (OperationCanceledException) when (ended.IsCancellationRequested)
        {
            return; // the input side ended the session
        }
        // The session stopped by itself (a fatal error, told above), or the page stopped reading: the socket closes,
        // and a session waiting for its page waits no more.
        WakeFromPark();
        if (Volatile.Read(ref _current) is { } link)
        {
            await CloseAndLetGoAsync(link, fatal ? WebSocketCloseStatus.InternalServerError : WebSocketCloseStatus.NormalClosure, fatal ? "session failed" : "session ended", ended).ConfigureAwait(false);
        }
    }

    /// <summary>The app's <see cref="VoiceAgentEndpointOptions.OnEvent"/>: what it throws is logged, never the session's end.</summary>
    private async ValueTask ObserveAsync(V2V.Voice.Outputs.VoiceSessionEvent sessionEvent, CancellationToken ct)
    {
        if (_options.OnEvent is not { } observe)
        {
            return;
        }
        try
        {
            await observe(http, sessionEvent, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            LogObserverFailed(_logger, sessionEvent.GetType().Name, ex);
        }
    }
}
