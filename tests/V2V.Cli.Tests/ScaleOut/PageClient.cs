using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using V2V.Testing;

namespace V2V.Cli.Tests.ScaleOut;

/// <summary>
/// A browser session as a script speaks it (src/V2V.Playground/PROTOCOL.md): <c>start</c>, 20 ms pcm16 frames of the
/// microphone, <c>stop</c>; every message the server sends is kept, in order, and a test waits on what they show.
/// </summary>
internal sealed class PageClient : IAsyncDisposable
{
    /// <summary>A guard only: a session that works gets there far sooner, even on a busy machine.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private const int MicrophoneRate = 16000;
    private readonly ClientWebSocket _socket;
    private readonly List<PageMessage> _received = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _reading;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private PageClient(ClientWebSocket socket, string node)
    {
        _socket = socket;
        Node = node;
        _reading = ReadAsync();
    }

    /// <summary>The node that took the session: the balancer's <c>X-V2V-Node</c> header on the handshake's answer.</summary>
    public string Node { get; }

    /// <summary>Whether the server closed the socket (or it broke).</summary>
    public bool Closed { get; private set; }

    /// <summary>Opens <c>/ws</c> through the balancer and sends <c>start</c>.</summary>
    public static async Task<PageClient> StartAsync(Uri balancer, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        try
        {
            using var guard = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            guard.CancelAfter(Patience);
            await socket.ConnectAsync(new UriBuilder(balancer) { Scheme = "ws", Path = "/ws" }.Uri, guard.Token).ConfigureAwait(false);
            var node = socket.HttpResponseHeaders?.TryGetValue("X-V2V-Node", out var values) == true ? string.Join(',', values) : "(no X-V2V-Node header)";
            var client = new PageClient(socket, node);
            await client.SendTextAsync($$"""{"type":"start","sampleRate":{{MicrophoneRate}},"voice":"alloy","turnMode":"server_vad"}""", cancellationToken).ConfigureAwait(false);
            return client;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>A copy of what the server sent so far.</summary>
    public IReadOnlyList<PageMessage> Received
    {
        get
        {
            lock (_received)
            {
                return [.. _received];
            }
        }
    }

    /// <summary>Waits until <paramref name="holds"/> is true of the messages received; fails naming <paramref name="what"/>.</summary>
    public async Task WaitForAsync(Func<IReadOnlyList<PageMessage>, bool> holds, string what, CancellationToken cancellationToken)
    {
        using var guard = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        guard.CancelAfter(Patience);
        while (true)
        {
            Task changed;
            lock (_received)
            {
                if (holds(_received))
                {
                    return;
                }
                if (Closed)
                {
                    throw new InvalidOperationException($"The session on {Node} closed before {what}. It got: {Describe()}");
                }
                changed = _changed.Task;
            }
            try
            {
                await changed.WaitAsync(guard.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"The session on {Node} never showed {what} within {Patience.TotalSeconds:F0} s. It got: {Describe()}");
            }
        }
    }

    /// <summary>Speaks <paramref name="text"/> (espeak-ng) into the microphone as a page sends it: 20 ms frames in real time, then silence.</summary>
    public async Task SpeakAsync(string text, CancellationToken cancellationToken)
    {
        var pcm = Speech.Pcm16(text, MicrophoneRate, 1, leadingSilenceMs: 300, trailingSilenceMs: 3000);
        using var pace = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
        foreach (var frame in Speech.Frames(pcm, MicrophoneRate, 1, 20))
        {
            await _socket.SendAsync(frame, WebSocketMessageType.Binary, true, cancellationToken).ConfigureAwait(false);
            await pace.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Sends <c>stop</c> and waits for the server's close.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await SendTextAsync("""{"type":"stop"}""", cancellationToken).ConfigureAwait(false);
        using var guard = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        guard.CancelAfter(Patience);
        await _reading.WaitAsync(guard.Token).ConfigureAwait(false);
    }

    /// <summary>The messages in short, for a failure's message: JSON as sent, audio as a count of bytes.</summary>
    public string Describe()
    {
        lock (_received)
        {
            var audio = _received.Sum(m => m.AudioBytes);
            return $"{audio} bytes of audio; " + string.Join(" | ", _received.Where(m => m.Json is not null).Select(m => m.Json!.Value.GetRawText()));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _reading.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _socket.Dispose();
        _stop.Dispose();
    }

    private Task SendTextAsync(string json, CancellationToken cancellationToken) =>
        _socket.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, true, cancellationToken);

    private async Task ReadAsync()
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                var result = await _socket.ReceiveAsync(buffer.AsMemory(), _stop.Token).ConfigureAwait(false);
                var length = result.Count;
                while (!result.EndOfMessage)
                {
                    if (length == buffer.Length)
                    {
                        Array.Resize(ref buffer, buffer.Length * 2);
                    }
                    result = await _socket.ReceiveAsync(buffer.AsMemory(length), _stop.Token).ConfigureAwait(false);
                    length += result.Count;
                }
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }
                Add(result.MessageType == WebSocketMessageType.Binary
                    ? new PageMessage(null, length)
                    : new PageMessage(JsonDocument.Parse(buffer.AsMemory(0, length)).RootElement.Clone(), 0));
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            // A broken socket is a close the test sees (Closed); a cancelled read is the test's own end.
        }
        finally
        {
            lock (_received)
            {
                Closed = true;
                _changed.TrySetResult();
            }
        }
    }

    private void Add(PageMessage message)
    {
        lock (_received)
        {
            _received.Add(message);
            _changed.TrySetResult();
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }
}

/// <summary>One message from the server: a JSON event, or <paramref name="AudioBytes"/> of the agent's voice.</summary>
internal readonly record struct PageMessage(JsonElement? Json, int AudioBytes)
{
    public string? Type => Json?.GetProperty("type").GetString();

    public bool Is(string type) => Type == type;

    public bool IsTranscript(string role, bool final) =>
        Is("transcript") && Json!.Value.GetProperty("role").GetString() == role && Json.Value.GetProperty("final").GetBoolean() == final;

    public bool IsEvent(string kind) => Is("event") && Json!.Value.TryGetProperty("kind", out var k) && k.GetString() == kind;
}
