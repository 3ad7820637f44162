using System.Collections.Concurrent;
using System.Net.WebSockets;
using V2V.Testing;

namespace V2V.Voice.Tests.Connection;

/// <summary>
/// A real loopback WebSocket peer whose connections the test ends on cue: each accepted connection is a
/// <see cref="PeerLine"/> that greets with <c>session.created</c> (with <c>expires_at</c> when asked) and then waits.
/// </summary>
internal sealed class ScriptedPeer : IAsyncDisposable
{
    private readonly LoopbackWebSocketServer _server;

    private ScriptedPeer(LoopbackWebSocketServer server) => _server = server;

    public Uri BaseUri => _server.BaseUri;

    public ConcurrentQueue<PeerLine> Lines { get; } = new();

    /// <summary>Unix seconds for the <c>expires_at</c> of the next connections' session.created (null: none).</summary>
    public long? ExpiresAt { get; set; }

    public static async Task<ScriptedPeer> StartAsync()
    {
        ScriptedPeer? peer = null;
        var server = await LoopbackWebSocketServer.StartAsync((socket, _, ct) => peer!.RunAsync(socket, ct));
        peer = new ScriptedPeer(server);
        return peer;
    }

    private async Task RunAsync(WebSocket socket, CancellationToken ct)
    {
        var line = new PeerLine();
        Lines.Enqueue(line);
        var expiry = ExpiresAt is { } e ? $",\"expires_at\":{e}" : "";
        await LoopbackWebSocketServer.SendTextAsync(socket, "{\"type\":\"session.created\",\"event_id\":\"e0\",\"session\":{\"type\":\"realtime\",\"id\":\"sess_test\",\"object\":\"realtime.session\"" + expiry + "}}", ct);
        var reading = ReadUntilClosedAsync(socket, ct);
        if (await Task.WhenAny(line.Ending, reading) == reading)
        {
            line.ClosedByClient = true;
            return;
        }
        var (status, error) = await line.Ending;
        try
        {
            if (error is not null)
            {
                await LoopbackWebSocketServer.SendTextAsync(socket, error, ct);
            }
            await socket.CloseOutputAsync((WebSocketCloseStatus)status, "ended by the test", ct);
            await reading.WaitAsync(TimeSpan.FromSeconds(5), ct);
        }
        catch (Exception ex) when (ex is WebSocketException or TimeoutException or OperationCanceledException)
        {
            // The client went first: the line is over either way.
        }
    }

    private static async Task ReadUntilClosedAsync(WebSocket socket, CancellationToken ct)
    {
        var buffer = new byte[1 << 16];
        try
        {
            while ((await socket.ReceiveAsync(buffer, ct)).MessageType != WebSocketMessageType.Close)
            {
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
        }
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}

/// <summary>One accepted connection of the <see cref="ScriptedPeer"/>.</summary>
internal sealed class PeerLine
{
    private readonly TaskCompletionSource<(int Status, string? Error)> _ending = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<(int Status, string? Error)> Ending => _ending.Task;

    public bool ClosedByClient { get; set; }

    /// <summary>Ends the connection from the server's side: an optional <c>error</c> event, then a close with <paramref name="status"/>.</summary>
    public void End(int status = 1011, string? errorCode = null, string message = "ended by the test") =>
        _ending.TrySetResult((status, errorCode is null ? null
            : """{"type":"error","event_id":"e9","error":{"type":"invalid_request_error","code":"CODE","message":"MESSAGE"}}""".Replace("CODE", errorCode, StringComparison.Ordinal).Replace("MESSAGE", message, StringComparison.Ordinal)));
}
