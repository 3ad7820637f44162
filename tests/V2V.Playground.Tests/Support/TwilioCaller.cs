using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using V2V.Audio;

namespace V2V.Playground.Tests.Support;

/// <summary>
/// A scripted phone call as Twilio makes it: a real WebSocket to <c>/media-stream</c>, <c>connected</c> and
/// <c>start</c>, then the caller's line as mu-law 20 ms <c>media</c> messages paced in real time (speech when given,
/// silence otherwise), <c>dtmf</c>, <c>mark</c> echoes as the test decides, <c>stop</c>. What the server sends is
/// kept in order in <see cref="Received"/>.
/// </summary>
internal sealed class TwilioCaller : IAsyncDisposable
{
    public const string StreamSid = "MZ00000000000000000000000000000001";
    private const int FrameBytes = 160; // 20 ms of mu-law at 8 kHz

    private readonly ClientWebSocket _socket;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly Channel<byte[]> _speech = Channel.CreateUnbounded<byte[]>();
    private readonly CancellationTokenSource _stop = new();
    private Task _line = Task.CompletedTask;
    private readonly Task _reader;
    private long _sequence;

    private TwilioCaller(ClientWebSocket socket)
    {
        _socket = socket;
        _reader = Task.Run(ReadAsync);
    }

    /// <summary>Everything the server sent, parsed, in order.</summary>
    public Channel<JsonObject> Received { get; } = Channel.CreateUnbounded<JsonObject>();

    /// <summary>True once the server closed the stream.</summary>
    public TaskCompletionSource<WebSocketCloseStatus?> Closed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static async Task<TwilioCaller> ConnectAsync(Uri server, Action<ClientWebSocketOptions>? configure = null)
    {
        var socket = new ClientWebSocket();
        configure?.Invoke(socket.Options);
        await socket.ConnectAsync(StreamUri(server), TestContext.Current.CancellationToken);
        return new TwilioCaller(socket);
    }

    /// <summary>The WebSocket address of a playground's media stream.</summary>
    public static Uri StreamUri(Uri server) => new UriBuilder(new Uri(server, "/media-stream")) { Scheme = "ws" }.Uri;

    /// <summary><c>connected</c> then <c>start</c>, then the line runs (silence until speech is given).</summary>
    public async Task StartAsync(IReadOnlyDictionary<string, string>? customParameters = null)
    {
        await SendAsync(new JsonObject { ["event"] = "connected", ["protocol"] = "Call", ["version"] = "1.0.0" });
        await SendAsync(StartMessage(customParameters));
        _line = Task.Run(RunLineAsync);
    }

    public static JsonObject StartMessage(IReadOnlyDictionary<string, string>? customParameters = null)
    {
        var parameters = new JsonObject();
        foreach (var (name, value) in customParameters ?? new Dictionary<string, string>())
        {
            parameters[name] = value;
        }
        return new JsonObject
        {
            ["event"] = "start",
            ["sequenceNumber"] = "1",
            ["start"] = new JsonObject
            {
                ["accountSid"] = "AC00000000000000000000000000000001",
                ["streamSid"] = StreamSid,
                ["callSid"] = "CA00000000000000000000000000000001",
                ["tracks"] = new JsonArray("inbound"),
                ["mediaFormat"] = new JsonObject { ["encoding"] = "audio/x-mulaw", ["sampleRate"] = 8000, ["channels"] = 1 },
                ["customParameters"] = parameters,
            },
            ["streamSid"] = StreamSid,
        };
    }

    /// <summary>Says <paramref name="text"/> on the line (espeak-ng speech, mu-law 8 kHz), after what is being said.</summary>
    public void Say(string text, int trailingSilenceMs = 1500)
    {
        var pcm = V2V.Testing.Speech.Pcm16(text, 8000, 1, leadingSilenceMs: 100, trailingSilenceMs: trailingSilenceMs);
        var codes = new byte[pcm.Length / 2];
        MuLaw.Encode(Pcm16.AsSamples(pcm), codes);
        _speech.Writer.TryWrite(codes);
    }

    public Task SendDtmfAsync(string digit) =>
        SendAsync(new JsonObject { ["event"] = "dtmf", ["streamSid"] = StreamSid, ["dtmf"] = new JsonObject { ["track"] = "inbound_track", ["digit"] = digit } });

    public Task EchoMarkAsync(string name) =>
        SendAsync(new JsonObject { ["event"] = "mark", ["streamSid"] = StreamSid, ["mark"] = new JsonObject { ["name"] = name } });

    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await _line.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await SendAsync(new JsonObject { ["event"] = "stop", ["streamSid"] = StreamSid, ["stop"] = new JsonObject { ["accountSid"] = "AC1", ["callSid"] = "CA1" } });
    }

    public Task SendAsync(JsonObject message) => SendRawAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text);

    public async Task SendRawAsync(byte[] bytes, WebSocketMessageType type)
    {
        await _sendLock.WaitAsync();
        try
        {
            await _socket.SendAsync(bytes, type, true, CancellationToken.None);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>The next message from the server of <paramref name="event"/>, the others before it given to <paramref name="seen"/>.</summary>
    public async Task<JsonObject> NextAsync(string @event, Func<JsonObject, Task>? seen = null)
    {
        using var guard = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        guard.CancelAfter(TimeSpan.FromSeconds(60));
        while (true)
        {
            var message = await Received.Reader.ReadAsync(guard.Token);
            if (message["event"]?.GetValue<string>() == @event)
            {
                return message;
            }
            if (seen is not null)
            {
                await seen(message);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _line.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _socket.Abort();
        await _reader.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _socket.Dispose();
        _stop.Dispose();
    }

    // As a phone line: a message every 20 ms, whether anyone speaks or not.
    private async Task RunLineAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
        byte[]? speaking = null;
        var at = 0;
        var silence = new byte[FrameBytes];
        Array.Fill(silence, MuLaw.Encode(0));
        while (await timer.WaitForNextTickAsync(_stop.Token))
        {
            if (speaking is null || at >= speaking.Length)
            {
                speaking = _speech.Reader.TryRead(out var next) ? next : null;
                at = 0;
            }
            var frame = silence.AsSpan();
            if (speaking is not null)
            {
                frame = speaking.AsSpan(at, Math.Min(FrameBytes, speaking.Length - at));
                at += FrameBytes;
            }
            var sequence = Interlocked.Increment(ref _sequence);
            await SendAsync(new JsonObject
            {
                ["event"] = "media",
                ["sequenceNumber"] = (sequence + 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["media"] = new JsonObject { ["track"] = "inbound", ["chunk"] = sequence.ToString(System.Globalization.CultureInfo.InvariantCulture), ["timestamp"] = (sequence * 20).ToString(System.Globalization.CultureInfo.InvariantCulture), ["payload"] = Convert.ToBase64String(frame) },
                ["streamSid"] = StreamSid,
            });
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
                WebSocketReceiveResult result;
                do
                {
                    result = await _socket.ReceiveAsync(buffer.AsMemory(count), CancellationToken.None) is var r ? new WebSocketReceiveResult(r.Count, r.MessageType, r.EndOfMessage) : null!;
                    count += result.Count;
                }
                while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    Closed.TrySetResult(_socket.CloseStatus);
                    return;
                }
                Received.Writer.TryWrite(JsonNode.Parse(buffer.AsSpan(0, count))!.AsObject());
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            Closed.TrySetResult(null);
        }
    }
}
