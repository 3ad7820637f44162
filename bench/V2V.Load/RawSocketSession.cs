using System.Buffers.Text;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace V2V.Load;

/// <summary>
/// The floor under any bridge built on .NET's <see cref="ClientWebSocket"/> (<c>--bridges raw</c>): the same
/// socket traffic as the two real bridges with nothing else. The user's frames are resampled to 24 kHz (every
/// bridge must) and sent as the same 20 ms appends, written straight into one reused buffer; every server message
/// is read and thrown away unparsed: no events, no output frames, no pacing, no barge-in messages (the server
/// cancels its answer by itself). No bridge that also plays the answer can cost less than this, so half the SDK
/// bridge's CPU is out of reach for any bridge when this floor is above that half.
/// With <c>decode</c> (<c>--bridges rawdecode</c>) it also does the receive side's protocol work that no bridge playing
/// the answer can skip: each message's JSON is read for its type, and each audio delta's base64 is unescaped and decoded
/// into one reused buffer (the decoded audio is then dropped). Still no events, frames, pacing or barge-in.
/// With <c>play</c> (<c>--bridges rawplay</c>) the decoded audio is also played (<see cref="FloorPlayout"/>): the floor
/// under any bridge that plays the answer in time.
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
    private readonly bool _decode;
    private readonly FloorPlayout? _playout;
    private long _index;
    private Task? _pending;

    private RawSocketSession(ClientWebSocket socket, TurnScript script, LoadStats stats, bool decode, bool play)
    {
        _socket = socket;
        _decode = decode || play;
        _playout = play ? new FloorPlayout(stats) : null;
        _script = script;
        _stats = stats;
        Prefix.CopyTo(_message, 0);
        _reader = Task.Run(ReadAsync);
    }

    public static async Task<RawSocketSession> StartAsync(Uri realtimeUri, TurnScript script, LoadStats stats, bool decode = false, bool play = false, CancellationToken ct = default)
    {
        var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", "Bearer local");
        await socket.ConnectAsync(new Uri(realtimeUri + "?model=gpt-realtime"), ct).ConfigureAwait(false);
        Interlocked.Increment(ref stats.Connects);
        return new RawSocketSession(socket, script, stats, decode, play);
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
        var scratch = new byte[64 * 1024];
        var audio = new byte[48 * 1024];
        try
        {
            var length = 0;
            while (true)
            {
                var result = await _socket.ReceiveAsync(buffer.AsMemory(length), _stop.Token).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }
                length += result.Count;
                if (!result.EndOfMessage && length < buffer.Length)
                {
                    continue;
                }
                if (_decode && result.EndOfMessage)
                {
                    var decoded = DecodeDelta(buffer.AsSpan(0, length), scratch, audio);
                    if (_playout is not null)
                    {
                        if (decoded > 0)
                        {
                            _playout.Add(audio.AsSpan(0, decoded));
                        }
                        else if (decoded == SpeechStarted)
                        {
                            _playout.Clear();
                        }
                    }
                }
                length = 0;
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
        }
    }

    private const int SpeechStarted = -1;

    /// <summary>
    /// Reads the message's type; for an audio delta, its base64 unescaped and decoded into <paramref name="audio"/>.
    /// Returns the bytes decoded, <see cref="SpeechStarted"/> for a speech start, else 0.
    /// </summary>
    private static int DecodeDelta(ReadOnlySpan<byte> message, byte[] scratch, byte[] audio)
    {
        var reader = new Utf8JsonReader(message);
        reader.Read();
        var isDelta = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isType = reader.ValueTextEquals("type"u8);
            var isAudio = reader.ValueTextEquals("delta"u8);
            reader.Read();
            if (isType)
            {
                isDelta = reader.ValueTextEquals("response.output_audio.delta"u8) || reader.ValueTextEquals("response.audio.delta"u8);
                if (!isDelta)
                {
                    return reader.ValueTextEquals("input_audio_buffer.speech_started"u8) ? SpeechStarted : 0;
                }
            }
            else if (isAudio && isDelta && reader.TokenType == JsonTokenType.String)
            {
                var base64 = reader.ValueIsEscaped ? scratch.AsSpan(0, reader.CopyString(scratch)) : reader.ValueSpan;
                Base64.DecodeFromUtf8(base64, audio, out _, out var written);
                return written;
            }
            else
            {
                reader.Skip();
            }
        }
        return 0;
    }

    public void Release(long now) => _playout?.Release(now);

    public async ValueTask DisposeAsync()
    {
        if (_pending is not null)
        {
            await _pending.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        await _stop.CancelAsync().ConfigureAwait(false);
        await _reader.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (_playout is not null)
        {
            await _playout.DisposeAsync().ConfigureAwait(false);
        }
        _socket.Dispose();
        _stop.Dispose();
    }
}
