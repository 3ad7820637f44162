using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using V2V.Audio;

namespace V2V.Load;

/// <summary>
/// One phone call as Twilio makes it, for the load: a real WebSocket to <c>/media-stream</c>, <c>connected</c> and
/// <c>start</c>, then a 20 ms mu-law <c>media</c> message every other tick of the shared ticker (the user's turns of
/// <see cref="TurnScript"/>, 16 kHz halved to 8 kHz). The answer is "played" as a phone plays it, one 20 ms message per
/// 20 ms; a <c>mark</c> is echoed when the audio before it has been played, and a <c>clear</c> drops what is unplayed
/// and echoes its marks at once, as Twilio does. All sends happen on the ticker thread, one batch at a time.
/// </summary>
internal sealed class PhoneCaller : ILoadSession
{
    private const int MessageBytes = 160; // 20 ms of mu-law at 8 kHz
    private const string StreamSid = "MZ00000000000000000000000000000001";
    private static readonly byte[] MediaPrefix = Encoding.UTF8.GetBytes($"{{\"event\":\"media\",\"streamSid\":\"{StreamSid}\",\"media\":{{\"track\":\"inbound\",\"payload\":\"");
    private static readonly byte[] MediaSuffix = "\"}}"u8.ToArray();

    private readonly ClientWebSocket _socket;
    private readonly TurnScript _script;
    private readonly LoadStats _stats;
    private readonly Task _reader;
    private readonly byte[] _media = new byte[MediaPrefix.Length + Base64.GetMaxEncodedToUtf8Length(MessageBytes) + MediaSuffix.Length];
    private readonly short[] _pcm = new short[MessageBytes];
    private readonly byte[] _codes = new byte[MessageBytes];
    // The phone's playout: queued 20 ms messages (null) and mark names, in the order they came. Bounded by the server,
    // which never sends more than its 2 s queue ahead of the marks.
    private readonly Queue<string?> _playout = new();
    private readonly ConcurrentQueue<string> _echoes = new();
    private long _tick;
    private Task? _pending;

    private PhoneCaller(ClientWebSocket socket, TurnScript script, LoadStats stats)
    {
        _socket = socket;
        _script = script;
        _stats = stats;
        MediaPrefix.CopyTo(_media, 0);
        _reader = Task.Run(ReadAsync);
    }

    public long MarksEchoed;
    public long Clears;

    public static async Task<PhoneCaller> StartAsync(Uri playground, int number, TurnScript script, LoadStats stats)
    {
        var socket = new ClientWebSocket();
        await socket.ConnectAsync(new UriBuilder(new Uri(playground, "/media-stream")) { Scheme = "ws" }.Uri, CancellationToken.None).ConfigureAwait(false);
        await SendTextAsync(socket, "{\"event\":\"connected\",\"protocol\":\"Call\",\"version\":\"1.0.0\"}").ConfigureAwait(false);
        var call = $"CA{number:D32}";
        await SendTextAsync(socket, $$$"""{"event":"start","sequenceNumber":"1","start":{"accountSid":"AC1","streamSid":"{{{StreamSid}}}","callSid":"{{{call}}}","tracks":["inbound"],"mediaFormat":{"encoding":"audio/x-mulaw","sampleRate":8000,"channels":1},"customParameters":{}},"streamSid":"{{{StreamSid}}}"}""").ConfigureAwait(false);
        return new PhoneCaller(socket, script, stats);
    }

    public void Tick(long due)
    {
        // The ticker runs every 10 ms; a phone line every 20 ms.
        if ((_tick++ & 1) == 1)
        {
            return;
        }
        if (_pending is { IsCompleted: false })
        {
            Interlocked.Increment(ref _stats.InputStalls);
            return;
        }
        lock (_playout)
        {
            // Play one message, then every mark up to the next message has been reached.
            if (_playout.Count > 0 && _playout.Peek() is null)
            {
                _playout.Dequeue();
                Interlocked.Increment(ref _stats.FramesOut);
            }
            while (_playout.Count > 0 && _playout.Peek() is { } mark)
            {
                _playout.Dequeue();
                _echoes.Enqueue(mark);
            }
        }
        var message = _tick / 2;
        Halve(_script.Frame(2 * message).Span, _script.Frame(2 * message + 1).Span, _pcm);
        MuLaw.Encode(_pcm, _codes);
        Base64.EncodeToUtf8(_codes, _media.AsSpan(MediaPrefix.Length), out _, out var written);
        MediaSuffix.CopyTo(_media, MediaPrefix.Length + written);
        var length = MediaPrefix.Length + written + MediaSuffix.Length;
        Interlocked.Increment(ref _stats.FramesIn);
        var send = _socket.SendAsync(_media.AsMemory(0, length), WebSocketMessageType.Text, true, CancellationToken.None);
        _pending = _echoes.IsEmpty && send.IsCompletedSuccessfully ? null : SendEchoesAsync(send);
    }

    public void Release(long now)
    {
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            if (_pending is not null)
            {
                await _pending.WaitAsync(patience.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
            await SendTextAsync(_socket, $"{{\"event\":\"stop\",\"streamSid\":\"{StreamSid}\"}}").ConfigureAwait(false);
            await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "hung up", patience.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
        }
        _socket.Abort();
        await _reader.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _socket.Dispose();
    }

    private async Task SendEchoesAsync(ValueTask media)
    {
        try
        {
            await media.ConfigureAwait(false);
            while (_echoes.TryDequeue(out var name))
            {
                await SendTextAsync(_socket, $"{{\"event\":\"mark\",\"streamSid\":\"{StreamSid}\",\"mark\":{{\"name\":\"{name}\"}}}}").ConfigureAwait(false);
                Interlocked.Increment(ref MarksEchoed);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException)
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
                var count = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    result = await _socket.ReceiveAsync(buffer.AsMemory(count), CancellationToken.None).ConfigureAwait(false);
                    count += result.Count;
                }
                while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }
                Take(buffer.AsSpan(0, count));
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    // media: one more 20 ms to play; mark: echoed once what is before it has played; clear: drop the unplayed audio
    // and echo its marks now.
    private void Take(ReadOnlySpan<byte> message)
    {
        var reader = new Utf8JsonReader(message);
        string? @event = null, name = null;
        while (reader.Read())
        {
            if (reader.TokenType != JsonTokenType.PropertyName)
            {
                continue;
            }
            if (reader.ValueTextEquals("event"u8))
            {
                reader.Read();
                @event = reader.GetString();
            }
            else if (reader.ValueTextEquals("name"u8))
            {
                reader.Read();
                name = reader.GetString();
            }
            else if (reader.ValueTextEquals("payload"u8))
            {
                break;
            }
        }
        lock (_playout)
        {
            switch (@event)
            {
                case "media":
                    _playout.Enqueue(null);
                    break;
                case "mark" when name is not null:
                    _playout.Enqueue(name);
                    break;
                case "clear":
                    Interlocked.Increment(ref Clears);
                    Interlocked.Increment(ref _stats.Flushes);
                    while (_playout.TryDequeue(out var queued))
                    {
                        if (queued is not null)
                        {
                            _echoes.Enqueue(queued);
                        }
                    }
                    break;
            }
        }
    }

    // 16 kHz to 8 kHz by averaging pairs: enough of a low-pass for the server's VAD, which only needs the speech's energy.
    private static void Halve(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second, Span<short> output)
    {
        var a = Pcm16.AsSamples(first);
        var b = Pcm16.AsSamples(second);
        for (var i = 0; i < a.Length / 2; i++)
        {
            output[i] = (short)((a[2 * i] + a[2 * i + 1]) / 2);
            output[a.Length / 2 + i] = (short)((b[2 * i] + b[2 * i + 1]) / 2);
        }
    }

    private static Task SendTextAsync(ClientWebSocket socket, string text) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);
}
