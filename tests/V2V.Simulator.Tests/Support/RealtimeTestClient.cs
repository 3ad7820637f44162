using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;

namespace V2V.Simulator.Tests.Support;

/// <summary>
/// A plain System.Net.WebSockets client speaking raw JSON, so the tests hold the server to the wire and not to
/// any client library. Every event received is kept (for the schema proof); reads time out instead of hanging.
/// </summary>
internal sealed class RealtimeTestClient : IAsyncDisposable
{
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(15);
    private readonly ClientWebSocket _socket;

    private RealtimeTestClient(ClientWebSocket socket) => _socket = socket;

    public List<JsonObject> Received { get; } = [];

    /// <summary>Each event received as its text on the wire, in the order of <see cref="Received"/>.</summary>
    public List<string> ReceivedText { get; } = [];

    public WebSocketState State => _socket.State;

    /// <summary>The status of the server's close, once it was received (e.g. 4000, 1001).</summary>
    public WebSocketCloseStatus? CloseStatus => _socket.CloseStatus;

    public string? CloseStatusDescription => _socket.CloseStatusDescription;

    public static async Task<RealtimeTestClient> ConnectAsync(Uri uri, bool beta = false, string? bearer = null, string? apiKey = null)
    {
        var socket = new ClientWebSocket();
        if (beta)
        {
            socket.Options.SetRequestHeader("OpenAI-Beta", "realtime=v1");
        }

        if (bearer is not null)
        {
            socket.Options.SetRequestHeader("Authorization", $"Bearer {bearer}");
        }

        if (apiKey is not null)
        {
            socket.Options.SetRequestHeader("api-key", apiKey);
        }

        using var timeout = new CancellationTokenSource(ReadTimeout);
        await socket.ConnectAsync(uri, timeout.Token);
        return new RealtimeTestClient(socket);
    }

    /// <summary>
    /// Connects to the server's endpoint and reads <c>session.created</c>. GA: <c>?model=</c> on the OpenAI or Azure
    /// form. Beta: only the azure-preview profile speaks it (OpenAI retired it), so <paramref name="server"/> must
    /// run that profile (<see cref="Servers.StartAsync(bool, Action{LocalRealtimeServerOptions}?)"/>); the client
    /// sends the <c>OpenAI-Beta</c> header as the original extension did.
    /// </summary>
    public static async Task<(RealtimeTestClient Client, JsonObject Session)> StartAsync(LocalRealtimeServer server, bool beta = false, string model = "gpt-realtime")
    {
        if (beta != (server.Options.Profile == ServiceProfile.AzurePreview))
        {
            throw new InvalidOperationException($"beta: {beta} needs a server of the {(beta ? "AzurePreview" : "OpenAi or Azure")} profile, not {server.Options.Profile}: start it with Servers.StartAsync(beta: {beta.ToString().ToLowerInvariant()}, ...).");
        }

        var uri = beta ? server.ExampleUri : new Uri(server.RealtimeUri + $"?model={model}");
        var client = await ConnectAsync(uri, beta);
        var created = await client.NextAsync();
        Assert.Equal("session.created", created["type"]!.GetValue<string>());
        return (client, created["session"]!.AsObject());
    }

    public Task SendAsync(JsonObject evt) => SendRawAsync(evt.ToJsonString());

    public async Task SendRawAsync(string text)
    {
        using var timeout = new CancellationTokenSource(ReadTimeout);
        await _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, timeout.Token);
    }

    /// <summary>Appends pcm16 audio in 100 ms events, as a live client would.</summary>
    public async Task AppendAudioAsync(byte[] pcm, int chunkBytes = 4800)
    {
        for (var at = 0; at < pcm.Length; at += chunkBytes)
        {
            var chunk = pcm.AsSpan(at, Math.Min(chunkBytes, pcm.Length - at)).ToArray();
            await SendAsync(new JsonObject { ["type"] = "input_audio_buffer.append", ["audio"] = Convert.ToBase64String(chunk) });
        }
    }

    /// <summary>The next event, or null when the server closed the connection.</summary>
    public async Task<JsonObject> NextAsync() =>
        await TryNextAsync() ?? throw new InvalidOperationException("The server closed the connection.");

    public async Task<JsonObject?> TryNextAsync()
    {
        using var timeout = new CancellationTokenSource(ReadTimeout);
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            var result = await _socket.ReceiveAsync(buffer, timeout.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                var bytes = message.ToArray();
                var evt = JsonNode.Parse(bytes)!.AsObject();
                Received.Add(evt);
                ReceivedText.Add(Encoding.UTF8.GetString(bytes));
                return evt;
            }
        }
    }

    /// <summary>Reads every event until the server closes the connection; returns them.</summary>
    public async Task<List<JsonObject>> UntilClosedAsync()
    {
        var seen = new List<JsonObject>();
        while (await TryNextAsync() is { } evt)
        {
            seen.Add(evt);
        }

        return seen;
    }

    /// <summary>Reads events up to and including the first of type <paramref name="type"/>; returns them all.</summary>
    public async Task<List<JsonObject>> UntilAsync(string type)
    {
        var seen = new List<JsonObject>();
        while (true)
        {
            var evt = await NextAsync();
            seen.Add(evt);
            if (evt.Type() == type)
            {
                return seen;
            }
        }
    }

    /// <summary>
    /// Reads events until one of each of <paramref name="types"/> has arrived, in any order (the service sends some
    /// events asynchronously, e.g. the user's transcription beside the answer); returns them all.
    /// </summary>
    public async Task<List<JsonObject>> UntilAllAsync(params string[] types)
    {
        var seen = new List<JsonObject>();
        var missing = new HashSet<string>(types);
        while (missing.Count > 0)
        {
            var evt = await NextAsync();
            seen.Add(evt);
            missing.Remove(evt.Type());
        }

        return seen;
    }

    /// <summary>Drops the connection without a close frame, as a network loss or a killed process does.</summary>
    public void Abort() => _socket.Abort();

    public async ValueTask DisposeAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            if (_socket.State == WebSocketState.Open)
            {
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
            }
            else if (_socket.State == WebSocketState.CloseReceived)
            {
                // The server closed first (expiry, refusal): answer its close.
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            // The server may already be gone; nothing to tidy.
        }

        _socket.Dispose();
    }
}
