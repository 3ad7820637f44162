using System.Net.WebSockets;
using System.Threading.Channels;
using V2V.AspNetCore;
using V2V.Frames;
using V2V.Graph.Hosting;

namespace V2V.Playground.Sessions;

/// <summary>
/// The one writer of a page's WebSocket (a WebSocket takes one send at a time). Two queues feed it: control (JSON
/// events, never dropped; full: the sender waits) is always served first, so a flush overtakes queued audio; audio
/// (pcm16 frames; bounded to one second, full: the oldest frame is dropped and counted) is cleared by
/// <see cref="FlushAudio"/>. The writer owns the frames queued to it: each is disposed once sent, dropped or flushed.
/// The agent's secrets (the API key, the MCP server's token), should any text contain one, are masked here, the last stop
/// before the browser.
/// </summary>
internal sealed class PageWriter : IAsyncDisposable
{
    private const int AudioCapacity = 100;
    private const int ControlCapacity = 256;

    private readonly WebSocket _socket;
    private readonly SecretMask _secrets;
    private readonly Channel<byte[]> _control = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(ControlCapacity)
    {
        FullMode = BoundedChannelFullMode.Wait,
        SingleReader = true,
    });
    private readonly OutgoingFrames _audio = new(AudioCapacity);
    private readonly WakeSignal _signal = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private string? _item; // the agent's item whose audio the page was sent last

    public PageWriter(WebSocket socket, SecretMask secrets)
    {
        _socket = socket;
        _secrets = secrets;
        _loop = Task.Run(() => RunAsync(_stop.Token));
    }

    /// <summary>Audio frames dropped because the page read too slowly, or cleared by a flush.</summary>
    public long AudioDropped => _audio.Dropped;

    /// <summary>Queues a JSON event (UTF-8).</summary>
    public async ValueTask SendJsonAsync(byte[] utf8Json, CancellationToken cancellationToken)
    {
        await _control.Writer.WriteAsync(_secrets.Apply(utf8Json), cancellationToken).ConfigureAwait(false);
        _signal.Set();
    }

    /// <summary>Queues a JSON event without waiting (from a callback); false when the queue is full or closed.</summary>
    public bool TryQueueJson(byte[] utf8Json)
    {
        if (!_control.Writer.TryWrite(_secrets.Apply(utf8Json)))
        {
            return false;
        }
        _signal.Set();
        return true;
    }

    /// <summary>Queues an audio frame; the writer owns it now (and disposes it once sent or dropped).</summary>
    public void SendAudio(PcmFrame frame)
    {
        if (_audio.TryAdd(frame)) // refused (and disposed) once the writer is closed: the page is gone
        {
            _signal.Set();
        }
    }

    /// <summary>Drops the audio not yet sent (barge-in); returns how many frames.</summary>
    public int FlushAudio() => _audio.Clear();

    /// <summary>Sends what is queued, then stops the loop; the socket is left open for the caller to close.</summary>
    public async Task DrainAsync(TimeSpan patience)
    {
        _control.Writer.TryComplete();
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
        _stop.Dispose();
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                if (_control.Reader.TryRead(out var json))
                {
                    await _socket.SendAsync(json, WebSocketMessageType.Text, true, cancellationToken).ConfigureAwait(false);
                }
                else if (_audio.TryTake(out var frame))
                {
                    using (frame)
                    {
                        if (frame.ItemId is { } item && item != _item)
                        {
                            // Named in order with the audio (not on the control lane, which overtakes it): the page's
                            // 'played' reports count from here.
                            _item = item;
                            var named = PageEvents.AudioItem(item, frame.ItemEndMs - frame.Duration.TotalMilliseconds);
                            await _socket.SendAsync(named, WebSocketMessageType.Text, true, cancellationToken).ConfigureAwait(false);
                        }
                        await _socket.SendAsync(frame.Memory, WebSocketMessageType.Binary, true, cancellationToken).ConfigureAwait(false);
                    }
                }
                else if (_control.Reader.Completion.IsCompleted && _audio.IsDone)
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
            // The page went away or the session is over: what was not sent has no reader any more.
        }
    }
}
