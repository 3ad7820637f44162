using System.Net.WebSockets;
using V2V.Frames;
using V2V.Graph.Hosting;
using V2V.Playground.Sessions;

namespace V2V.Playground.Telephony;

/// <summary>
/// The one writer of a call's WebSocket. The agent's voice comes paced in real time by the voice session (one clock
/// for the process), in 20 ms frames at 8 kHz; each goes out at once as one <c>media</c> message followed by its
/// <c>mark</c>, so Twilio's buffer holds what the network holds and no more (never flooded: a barge-in has little to
/// clear; never starved: the pacer catches up a late tick, and Twilio plays what it has). Queue: 100 frames (2 s),
/// full: the oldest dropped and counted (a writer that far behind has a dead socket). A <c>clear</c> overtakes the
/// queue, which it empties. The writer owns the frames queued to it: each is disposed once sent, dropped or cleared.
/// </summary>
internal sealed class CallWriter : IAsyncDisposable
{
    private const int AudioCapacity = 100;

    private readonly WebSocket _socket;
    private readonly TwilioOutbound _messages;
    private readonly MarkLedger _marks;
    private readonly OutgoingFrames _audio = new(AudioCapacity);
    private readonly WakeSignal _signal = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _clearPending;
    private long _mediaSent;

    public CallWriter(WebSocket socket, string streamSid, MarkLedger marks)
    {
        _socket = socket;
        _messages = new TwilioOutbound(streamSid);
        _marks = marks;
        _loop = Task.Run(() => RunAsync(_stop.Token));
    }

    /// <summary>Frames dropped: queue full, or cleared by a barge-in before they were sent.</summary>
    public long AudioDropped => _audio.Dropped;

    /// <summary>Media messages sent.</summary>
    public long MediaSent => Interlocked.Read(ref _mediaSent);

    /// <summary>Queues a frame of the agent's voice (pcm16 8 kHz mono); the writer owns it now.</summary>
    public void SendAudio(PcmFrame frame)
    {
        if (_audio.TryAdd(frame)) // refused (and disposed) once the call is over
        {
            _signal.Set();
        }
    }

    /// <summary>Barge-in: drops what is queued and sends <c>clear</c> before anything else. Returns the frames dropped.</summary>
    public int Clear()
    {
        var dropped = _audio.Clear();
        Volatile.Write(ref _clearPending, 1);
        _signal.Set();
        return dropped;
    }

    /// <summary>Sends what is queued (at most <paramref name="patience"/>), then stops; the socket is left to the caller.</summary>
    public async Task DrainAsync(TimeSpan patience)
    {
        _audio.Complete();
        _signal.Set();
        await _loop.WaitAsync(patience).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await _stop.CancelAsync().ConfigureAwait(false);
        _signal.Set(); // a loop waiting for work sees the cancel
        await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    public async ValueTask DisposeAsync()
    {
        await DrainAsync(TimeSpan.Zero).ConfigureAwait(false);
        _audio.DisposeRemaining();
        _stop.Dispose();
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                if (Interlocked.Exchange(ref _clearPending, 0) == 1)
                {
                    // Every mark sent before this clear is echoed by Twilio as it drops the audio: none of it was heard.
                    _marks.Cleared();
                    await SendAsync(_messages.Clear, cancellationToken).ConfigureAwait(false);
                }
                else if (_audio.TryTake(out var frame))
                {
                    using (frame)
                    {
                        var (item, endMs) = (frame.ItemId, frame.ItemEndMs);
                        await SendAsync(_messages.Media(frame.Span), cancellationToken).ConfigureAwait(false);
                        Interlocked.Increment(ref _mediaSent);
                        await SendAsync(_messages.Mark(_marks.Note(item, endMs)), cancellationToken).ConfigureAwait(false);
                    }
                }
                else if (_audio.IsDone)
                {
                    return;
                }
                else
                {
                    await _signal.WaitAsync().ConfigureAwait(false);
                    cancellationToken.ThrowIfCancellationRequested(); // the drain's deadline: what is left is not sent
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Twilio hung up or the call is over: what was not sent has no listener any more.
        }
    }

    private ValueTask SendAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken) =>
        _socket.SendAsync(message, WebSocketMessageType.Text, true, cancellationToken);
}
