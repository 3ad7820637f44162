using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace V2V.AspNetCore.Tests.Support;

/// <summary>
/// A page's side of the voice agent socket, over a real WebSocket: sends what a page sends, and records every message
/// that comes back (JSON events in order, the audio counted and kept) until the server closes.
/// </summary>
internal sealed class PageClient : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly ClientWebSocket _socket;
    private readonly Channel<JsonObject> _events = Channel.CreateUnbounded<JsonObject>();
    private readonly List<string> _texts = [];
    private readonly Task _reader;
    private long _audioBytes;
    private int _audioMessages;
    private readonly HashSet<int> _audioSizes = [];

    private PageClient(ClientWebSocket socket)
    {
        _socket = socket;
        _reader = Task.Run(ReadAsync);
    }

    public static async Task<PageClient> ConnectAsync(Uri uri, string? origin = null, string? user = null)
    {
        var socket = new ClientWebSocket();
        if (origin is not null)
        {
            socket.Options.SetRequestHeader("Origin", origin);
        }
        if (user is not null)
        {
            socket.Options.SetRequestHeader(VoiceAgentApp.UserHeader, user);
        }
        await socket.ConnectAsync(uri, TestContext.Current.CancellationToken);
        return new PageClient(socket);
    }

    /// <summary>Every text message received so far, raw (for checking that no secret is in any).</summary>
    public IReadOnlyList<string> Texts { get { lock (_texts) { return [.. _texts]; } } }

    public long AudioBytes => Interlocked.Read(ref _audioBytes);

    public int AudioMessages => Volatile.Read(ref _audioMessages);

    public IReadOnlyCollection<int> AudioSizes { get { lock (_audioSizes) { return [.. _audioSizes]; } } }

    public WebSocketCloseStatus? CloseStatus => _socket.CloseStatus;

    public Task StartAsync(int sampleRate) => SendJsonAsync(new JsonObject { ["type"] = "start", ["sampleRate"] = sampleRate });

    /// <summary>The first message of a page's new socket that takes its session back.</summary>
    public Task ResumeAsync(string token, int sampleRate) => SendJsonAsync(new JsonObject { ["type"] = "resume", ["token"] = token, ["sampleRate"] = sampleRate });

    /// <summary>The page's network goes: the socket is dropped without a close (as a phone changing networks loses it).</summary>
    public void Drop() => _socket.Abort();

    /// <summary>Whether the socket has ended (closed, dropped by either side).</summary>
    public bool IsOver => _reader.IsCompleted;

    public Task SendJsonAsync(JsonObject message) => SendTextAsync(message.ToJsonString());

    public Task SendTextAsync(string text) =>
        _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, TestContext.Current.CancellationToken);

    public Task SendAudioAsync(ReadOnlyMemory<byte> pcm16) =>
        _socket.SendAsync(pcm16, WebSocketMessageType.Binary, true, TestContext.Current.CancellationToken).AsTask();

    /// <summary>Speaks pcm16 mono in 20 ms messages at about real time (the server's turn detection hears a person).</summary>
    public async Task SpeakAsync(byte[] pcm16, int sampleRate)
    {
        var chunk = sampleRate / 50 * 2;
        for (var at = 0; at < pcm16.Length; at += chunk)
        {
            await SendAudioAsync(pcm16.AsMemory(at, Math.Min(chunk, pcm16.Length - at)));
            await Task.Delay(10, TestContext.Current.CancellationToken); // faster than real time, as a page that caught up sends
        }
    }

    /// <summary>The next event that matches, skipping others; fails when the socket closes first or none comes within a minute.</summary>
    public async Task<JsonObject> NextAsync(Func<JsonObject, bool> match, string what)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(Patience);
        try
        {
            while (await _events.Reader.WaitToReadAsync(timeout.Token))
            {
                while (_events.Reader.TryRead(out var message))
                {
                    if (match(message))
                    {
                        return message;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
        {
            Assert.Fail($"no {what} within {Patience.TotalSeconds} s; received: {string.Join(" | ", Texts.TakeLast(10))}");
        }
        Assert.Fail($"the socket closed ({_socket.CloseStatus} {_socket.CloseStatusDescription}) before {what}; received: {string.Join(" | ", Texts.TakeLast(10))}");
        return null!;
    }

    /// <summary>The agent's next answer, its pieces joined up to its final one: (text, interrupted, itemId).</summary>
    public async Task<(string Text, bool Interrupted, string? ItemId)> NextAnswerAsync(string what)
    {
        var text = "";
        while (true)
        {
            var piece = await NextAsync(m => (string?)m["type"] == "transcript" && (string?)m["role"] == "assistant", what);
            text += (string?)piece["text"];
            if ((bool)piece["final"]!)
            {
                return (text, (bool)piece["interrupted"]!, (string?)piece["itemId"]);
            }
        }
    }

    /// <summary>Waits until at least <paramref name="messages"/> messages of the agent's voice have come.</summary>
    public async Task AudioAsync(int messages, string what)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (AudioMessages < messages)
        {
            Assert.True(waited.Elapsed < Patience && !_reader.IsCompleted, $"{AudioMessages} of {messages} audio messages ({what}) within {Patience.TotalSeconds} s; received: {string.Join(" | ", Texts.TakeLast(10))}");
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }

    public Task<JsonObject> NextAsync(string type) => NextAsync(m => (string?)m["type"] == type, $"'{type}'");

    /// <summary>Waits until the server has closed the socket (its close answered); the status it gave.</summary>
    public async Task<WebSocketCloseStatus?> ClosedAsync()
    {
        await _reader.WaitAsync(Patience, TestContext.Current.CancellationToken);
        return _socket.CloseStatus;
    }

    public Task CloseAsync() => _socket.State == WebSocketState.Open
        ? _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "page closed", TestContext.Current.CancellationToken)
        : Task.CompletedTask;

    private async Task ReadAsync()
    {
        var buffer = new byte[128 * 1024];
        try
        {
            while (true)
            {
                var count = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    result = await _socket.ReceiveAsync(buffer.AsMemory(count), CancellationToken.None);
                    count += result.Count;
                }
                while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    if (_socket.State == WebSocketState.CloseReceived)
                    {
                        await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
                    }
                    return;
                }
                if (result.MessageType == WebSocketMessageType.Binary)
                {
                    Interlocked.Add(ref _audioBytes, count);
                    Interlocked.Increment(ref _audioMessages);
                    lock (_audioSizes)
                    {
                        _audioSizes.Add(count);
                    }
                    continue;
                }
                var text = Encoding.UTF8.GetString(buffer, 0, count);
                lock (_texts)
                {
                    _texts.Add(text);
                }
                _events.Writer.TryWrite(JsonNode.Parse(text)!.AsObject());
            }
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or OperationCanceledException)
        {
            // The server dropped the connection, or this page did.
        }
        finally
        {
            _events.Writer.TryComplete();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            try
            {
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "test over", CancellationToken.None);
            }
            catch (WebSocketException)
            {
            }
        }
        await _reader.WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _socket.Dispose();
    }
}
