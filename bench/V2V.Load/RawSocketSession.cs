using System.Buffers.Text;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Runtime.InteropServices;
using System.Text;

namespace V2V.Load;

/// <summary>
/// The floor under any bridge built on .NET's <see cref="ClientWebSocket"/> (<c>--bridges raw</c>): the same
/// socket traffic as the two real bridges with nothing else. The user's frames are resampled to 24 kHz (every
/// bridge must) and sent as the same 20 ms appends, written straight into one reused buffer; every server message
/// is read and thrown away unparsed: no events, no output frames, no pacing, no barge-in messages (the server
/// cancels its answer by itself). No bridge that also plays the answer can cost less than this, so half the SDK
/// bridge's CPU is out of reach for any bridge when this floor is above that half.
/// </summary>
internal sealed class RawSocketSession : ILoadSession
{
    private static readonly byte[] Prefix = Encoding.UTF8.GetBytes("{\"type\":\"input_audio_buffer.append\",\"audio\":\"");
    private static readonly byte[] Suffix = Encoding.UTF8.GetBytes("\"}");

    private readonly ClientWebSocket _socket;
    private readonly TurnScript _script;
    private readonly LoadStats _stats;
    private readonly InputChunker _input = new();
    private readonly byte[] _message = new byte[Prefix.Length + Base64.GetMaxEncodedToUtf8Length(InputChunker.ChunkSamples * 2) + Suffix.Length];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _reader;
    private long _index;
    private Task? _pending;

    private RawSocketSession(ClientWebSocket socket, TurnScript script, LoadStats stats)
    {
        _socket = socket;
        _script = script;
        _stats = stats;
        Prefix.CopyTo(_message, 0);
        _reader = Task.Run(ReadAsync);
    }

    public static async Task<RawSocketSession> StartAsync(Uri realtimeUri, TurnScript script, LoadStats stats, CancellationToken ct = default)
    {
        var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", "Bearer local");
        await socket.ConnectAsync(new Uri(realtimeUri + "?model=gpt-realtime"), ct).ConfigureAwait(false);
        Interlocked.Increment(ref stats.Connects);
        return new RawSocketSession(socket, script, stats);
    }

    public void Tick(long due)
    {
        if (_pending is { IsCompleted: false })
        {
            Interlocked.Increment(ref _stats.InputStalls);
            return;
        }
        var frame = _script.Frame(_index++);
        Interlocked.Increment(ref _stats.FramesIn);
        _input.Add(frame.Span, (Session: this, Origin: due), static (s, chunk) => s.Session.Send(chunk, s.Origin));
    }

    private void Send(short[] chunk, long origin)
    {
        Base64.EncodeToUtf8(MemoryMarshal.AsBytes(chunk.AsSpan()), _message.AsSpan(Prefix.Length), out _, out var written);
        Suffix.CopyTo(_message, Prefix.Length + written);
        try
        {
            var send = _socket.SendAsync(_message.AsMemory(0, Prefix.Length + written + Suffix.Length), WebSocketMessageType.Text, endOfMessage: true, _stop.Token);
            if (send.IsCompletedSuccessfully)
            {
                _stats.InputLatency.RecordTicks(Stopwatch.GetTimestamp() - origin);
            }
            else
            {
                _pending = send.AsTask();
            }
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or OperationCanceledException)
        {
            Interlocked.Increment(ref _stats.Errors);
        }
    }

    private async Task ReadAsync()
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                var result = await _socket.ReceiveAsync(buffer.AsMemory(), _stop.Token).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
        }
    }

    public void Release(long now)
    {
    }

    public async ValueTask DisposeAsync()
    {
        if (_pending is not null)
        {
            await _pending.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        await _stop.CancelAsync().ConfigureAwait(false);
        await _reader.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _socket.Dispose();
        _stop.Dispose();
    }
}
