using System.Net.WebSockets;
using System.Text;

namespace V2V.Load;

/// <summary>
/// One user of <c>v2v serve</c> as the browser page speaks to it (src/V2V.Playground/PROTOCOL.md): <c>start</c>, the
/// microphone's frames as binary messages, the agent's voice back as binary messages. Used by the <c>serve</c> mode,
/// directly to a node or through the balancer: the node does all the work a real session costs (graph, extension,
/// voice session, realtime connection, paced output), the harness only sends and counts.
/// </summary>
internal sealed class PageSession : ILoadSession
{
    private readonly ClientWebSocket _socket;
    private readonly TurnScript _script;
    private readonly LoadStats _stats;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _reader;
    private long _index;
    private Task? _pending;

    private PageSession(ClientWebSocket socket, TurnScript script, LoadStats stats)
    {
        _socket = socket;
        _script = script;
        _stats = stats;
        _reader = Task.Run(ReadAsync);
    }

    /// <summary>The node that took it, when a balancer said so (its X-V2V-Node header).</summary>
    public string? Node { get; private init; }

    public static async Task<PageSession> StartAsync(Uri server, TurnScript script, LoadStats stats, CancellationToken ct = default)
    {
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        await socket.ConnectAsync(new UriBuilder(server) { Scheme = "ws", Path = "/ws" }.Uri, ct).ConfigureAwait(false);
        var node = socket.HttpResponseHeaders?.TryGetValue("X-V2V-Node", out var values) == true ? string.Join(',', values) : null;
        await socket.SendAsync("""{"type":"start","sampleRate":16000,"voice":"alloy","turnMode":"server_vad"}"""u8.ToArray(), WebSocketMessageType.Text, true, ct).ConfigureAwait(false);
        Interlocked.Increment(ref stats.Connects);
        return new PageSession(socket, script, stats) { Node = node };
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
        try
        {
            var send = _socket.SendAsync(frame, WebSocketMessageType.Binary, endOfMessage: true, _stop.Token);
            _pending = send.IsCompletedSuccessfully ? null : send.AsTask();
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or OperationCanceledException)
        {
            Interlocked.Increment(ref _stats.Errors);
        }
    }

    public void Release(long now)
    {
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
                    Interlocked.Increment(ref _stats.Errors);
                    return;
                }
                if (result.MessageType == WebSocketMessageType.Binary)
                {
                    Interlocked.Increment(ref _stats.FramesOut);
                    continue;
                }
                Count(Encoding.UTF8.GetString(buffer, 0, result.Count));
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
        }
    }

    // Enough of each event to count turns, barge-ins and errors; the harness does not parse what it does not count.
    private void Count(string json)
    {
        if (json.Contains("\"type\":\"flush\"", StringComparison.Ordinal))
        {
            Interlocked.Increment(ref _stats.Flushes);
        }
        else if (json.Contains("\"type\":\"error\"", StringComparison.Ordinal))
        {
            Interlocked.Increment(ref _stats.Errors);
            Console.Error.WriteLine($"[page] {json}");
        }
        else if (json.Contains("\"type\":\"transcript\"", StringComparison.Ordinal) && json.Contains("\"role\":\"assistant\"", StringComparison.Ordinal) && json.Contains("\"final\":true", StringComparison.Ordinal))
        {
            Interlocked.Increment(ref _stats.AssistantFinals);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_pending is not null)
        {
            await _pending.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        try
        {
            await _socket.SendAsync("""{"type":"stop"}"""u8.ToArray(), WebSocketMessageType.Text, true, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException)
        {
        }
        await _stop.CancelAsync().ConfigureAwait(false);
        await _reader.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _socket.Dispose();
        _stop.Dispose();
    }
}
