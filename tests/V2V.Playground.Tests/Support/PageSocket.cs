using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace V2V.Playground.Tests.Support;

/// <summary>
/// A page's WebSocket to the playground, speaking PROTOCOL.md without a browser: <c>start</c>, <c>text</c>, <c>stop</c>
/// out; the JSON events in, kept in order, until the server closes. Every wait is bounded by a generous guard.
/// </summary>
internal sealed class PageSocket : IAsyncDisposable
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(60);
    private readonly ClientWebSocket _socket = new();
    private readonly byte[] _buffer = new byte[64 * 1024];

    /// <summary>The JSON events received so far.</summary>
    public List<JsonElement> Received { get; } = [];

    /// <summary>The server's close status and reason, once it closed.</summary>
    public (WebSocketCloseStatus? Status, string? Reason)? Closed { get; private set; }

    public static async Task<PageSocket> OpenAsync(PlaygroundServer server)
    {
        var page = new PageSocket();
        await page._socket.ConnectAsync(new Uri(server.Addresses[0].ToString().Replace("http://", "ws://", StringComparison.Ordinal) + "ws"), TestContext.Current.CancellationToken);
        return page;
    }

    /// <summary>Opens a session and waits for its <c>ready</c>.</summary>
    public static async Task<PageSocket> StartAsync(PlaygroundServer server)
    {
        var page = await OpenAsync(server);
        await page.SendAsync("""{"type":"start","sampleRate":16000,"voice":"alloy","turnMode":"server_vad"}""");
        await page.WaitForAsync(m => Type(m) == "ready");
        return page;
    }

    public Task SendAsync(string json) =>
        _socket.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, true, TestContext.Current.CancellationToken);

    /// <summary>A binary message (the page's microphone audio).</summary>
    public Task SendBinaryAsync(byte[] bytes) =>
        _socket.SendAsync(bytes, WebSocketMessageType.Binary, true, TestContext.Current.CancellationToken);

    /// <summary>The first event received (now or later) that matches; fails if the server closes first.</summary>
    public async Task<JsonElement> WaitForAsync(Func<JsonElement, bool> match)
    {
        for (var seen = 0; ; seen++)
        {
            while (seen >= Received.Count)
            {
                if (!await ReceiveAsync())
                {
                    Assert.Fail($"The server closed ({Closed}) before the awaited event; received: {string.Join(" ", Received)}");
                }
            }
            if (match(Received[seen]))
            {
                return Received[seen];
            }
        }
    }

    /// <summary>Reads until the server closes; returns its close status and reason.</summary>
    public async Task<(WebSocketCloseStatus? Status, string? Reason)> WaitForCloseAsync()
    {
        while (await ReceiveAsync())
        {
        }
        return Closed!.Value;
    }

    public static string? Type(JsonElement message) => message.GetProperty("type").GetString();

    public async ValueTask DisposeAsync()
    {
        _socket.Abort();
        _socket.Dispose();
        await Task.CompletedTask;
    }

    // One message; false once the server has closed.
    private async Task<bool> ReceiveAsync()
    {
        if (Closed is not null)
        {
            return false;
        }
        using var guard = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        guard.CancelAfter(Guard);
        var count = 0;
        while (true)
        {
            var result = await _socket.ReceiveAsync(_buffer.AsMemory(count), guard.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                Closed = (_socket.CloseStatus, _socket.CloseStatusDescription);
                return false;
            }
            count += result.Count;
            if (!result.EndOfMessage)
            {
                continue;
            }
            if (result.MessageType == WebSocketMessageType.Text)
            {
                Received.Add(JsonDocument.Parse(_buffer.AsMemory(0, count)).RootElement.Clone());
            }
            return true;
        }
    }
}
