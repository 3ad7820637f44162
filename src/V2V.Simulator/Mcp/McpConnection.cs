using System.Text;
using System.Text.Json.Nodes;

namespace V2V.Simulator.Mcp;

/// <summary>
/// The local server's client of one MCP server in one session, over MCP's Streamable HTTP transport, written by hand
/// (the simulator depends on nothing of the product, nor on an MCP package): JSON-RPC 2.0 POSTs, <c>initialize</c> and
/// <c>notifications/initialized</c> once, then <c>tools/list</c> (every page) and <c>tools/call</c>. Every request
/// carries the tool's <c>headers</c>, its <c>authorization</c> as a bearer token, the <c>Mcp-Session-Id</c> the server
/// gave and the protocol version agreed, and has <see cref="LocalRealtimeServerOptions.McpRequestTimeout"/> to be
/// answered in at most <see cref="MaxResponseBytes"/>. Disposing cancels what is in flight and ends the MCP session.
/// </summary>
internal sealed class McpConnection : IAsyncDisposable
{
    /// <summary>The protocol revision asked for in <c>initialize</c>.</summary>
    public const string ProtocolVersion = "2025-06-18";

    /// <summary>The largest answer read from an MCP server.</summary>
    public const long MaxResponseBytes = 4 * 1024 * 1024;

    /// <summary>Pages of <c>tools/list</c> followed at most: a server whose cursors never end must not hold a listing forever.</summary>
    private const int MaxPages = 100;

    private static readonly string ClientVersion = typeof(McpConnection).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    private readonly McpServerSettings _settings;
    private readonly TimeSpan _timeout;
    // One handler for every connection of the process (its pooled sockets are shared, as an HttpClientFactory's are): a
    // session per caller must not be a socket pool per caller. The timeouts are this class's own, per request.
    private static readonly HttpMessageHandler SharedHandler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2) };
    private readonly HttpClient _http = new(SharedHandler, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan };

    // Neither is disposed: a request that starts after the connection closed must find it cancelled, not throw.
    private readonly CancellationTokenSource _closed = new();
    private readonly SemaphoreSlim _initializing = new(1, 1);

    private bool _initialized;
    private string? _sessionId;
    private string? _agreedVersion;
    private long _lastId;

    public McpConnection(McpServerSettings settings, TimeSpan timeout)
    {
        _settings = settings;
        _timeout = timeout;
    }

    public async Task<IReadOnlyList<McpListedTool>> ListToolsAsync(CancellationToken cancellationToken)
    {
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        var tools = new List<McpListedTool>();
        string? cursor = null;
        for (var page = 0; page < MaxPages; page++)
        {
            var result = await RequestAsync("tools/list", cursor is null ? [] : new JsonObject { ["cursor"] = cursor }, cancellationToken).ConfigureAwait(false);
            tools.AddRange((result["tools"] as JsonArray ?? []).Select(McpListedTool.FromMcp).OfType<McpListedTool>());
            cursor = result["nextCursor"] is JsonValue next && next.TryGetValue<string>(out var more) && more.Length > 0 ? more : null;
            if (cursor is null)
            {
                return tools;
            }
        }

        throw McpRemoteError.Malformed($"The MCP server's tool list goes on past {MaxPages} pages.");
    }

    public async Task<McpToolResult> CallToolAsync(string name, JsonObject arguments, CancellationToken cancellationToken)
    {
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        var result = await RequestAsync("tools/call", new JsonObject { ["name"] = name, ["arguments"] = arguments }, cancellationToken).ConfigureAwait(false);
        return McpToolResult.FromMcp(result);
    }

    /// <summary>The handshake, once per connection (a listing and a later call share it); a failed one is tried again by the next request.</summary>
    private async Task InitializeAsync(CancellationToken cancellationToken)
    {
        ThrowIfClosed();
        await _initializing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_initialized)
            {
                return;
            }

            var result = await RequestAsync("initialize", new JsonObject
            {
                ["protocolVersion"] = ProtocolVersion,
                ["capabilities"] = new JsonObject(),
                ["clientInfo"] = new JsonObject { ["name"] = "v2v-local-realtime-server", ["version"] = ClientVersion },
            }, cancellationToken).ConfigureAwait(false);
            _agreedVersion = result["protocolVersion"] is JsonValue version && version.TryGetValue<string>(out var agreed) ? agreed : ProtocolVersion;
            await PostAsync(new JsonObject { ["jsonrpc"] = "2.0", ["method"] = "notifications/initialized" }, null, cancellationToken).ConfigureAwait(false);
            _initialized = true;
        }
        finally
        {
            _initializing.Release();
        }
    }

    private async Task<JsonObject> RequestAsync(string method, JsonObject parameters, CancellationToken cancellationToken)
    {
        var id = Interlocked.Increment(ref _lastId);
        var message = new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id, ["method"] = method, ["params"] = parameters };
        var response = (await PostAsync(message, id, cancellationToken).ConfigureAwait(false))!;
        if (response["error"] is JsonObject error)
        {
            var code = error["code"] is JsonValue c && c.TryGetValue<int>(out var number) ? number : -32603;
            throw McpRemoteError.JsonRpc(code, error["message"] is JsonValue m && m.TryGetValue<string>(out var text) ? text : "(no message)");
        }

        return response["result"] as JsonObject ?? throw McpRemoteError.Malformed($"The MCP server's response to {method} has no result object.");
    }

    /// <summary>POSTs one message; the response to <paramref name="id"/> (null: a notification, whose answer has no body to read).</summary>
    private async Task<JsonObject?> PostAsync(JsonObject message, long? id, CancellationToken cancellationToken)
    {
        ThrowIfClosed();
        using var request = new HttpRequestMessage(HttpMethod.Post, _settings.ServerUrl) { Content = new StringContent(message.ToJsonString(), Encoding.UTF8, "application/json") };
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");
        AddHeaders(request);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _closed.Token);
        timeout.CancelAfter(_timeout);
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw McpRemoteError.Http(response.StatusCode, response.ReasonPhrase);
            }

            if (_sessionId is null && response.Headers.TryGetValues("Mcp-Session-Id", out var sessionIds))
            {
                _sessionId = sessionIds.FirstOrDefault();
            }

            return id is { } awaited ? await McpResponseReader.ReadAsync(response.Content, awaited, MaxResponseBytes, timeout.Token).ConfigureAwait(false) : null;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && !_closed.IsCancellationRequested)
        {
            throw McpRemoteError.TimedOut(_timeout);
        }
        catch (Exception e) when (e is (HttpRequestException or IOException) && !cancellationToken.IsCancellationRequested && !_closed.IsCancellationRequested)
        {
            // Its message names the host and what the socket said ("Connection refused (127.0.0.1:5123)"), never a header.
            throw McpRemoteError.Unreachable(e.Message);
        }
        catch (Exception e) when (e is not (McpRemoteError or OperationCanceledException) && !cancellationToken.IsCancellationRequested && !_closed.IsCancellationRequested)
        {
            // Anything else (a header value HTTP cannot carry, say) fails the request too, named by its kind only: its
            // message might quote what was sent.
            throw McpRemoteError.Unreachable($"the request could not be made ({e.GetType().Name}).");
        }
        catch (Exception e) when (e is not (McpRemoteError or OperationCanceledException))
        {
            // Called off (the response ended, the connection closed) while the socket failed under it: a cancellation.
            throw new OperationCanceledException("The request to the MCP server was called off.", e);
        }
    }

    /// <summary>What goes with every request: the tool's headers, then its authorization (which wins over a header of that name), the session and the version.</summary>
    private void AddHeaders(HttpRequestMessage request)
    {
        foreach (var (name, value) in _settings.Headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        if (_settings.Authorization is { } token)
        {
            request.Headers.Remove("Authorization");
            request.Headers.TryAddWithoutValidation("Authorization", $"Bearer {token}");
        }

        if (_sessionId is { } session)
        {
            request.Headers.TryAddWithoutValidation("Mcp-Session-Id", session);
        }

        if (_agreedVersion is { } version)
        {
            request.Headers.TryAddWithoutValidation("MCP-Protocol-Version", version);
        }
    }

    private void ThrowIfClosed()
    {
        if (_closed.IsCancellationRequested)
        {
            throw new OperationCanceledException("The connection to the MCP server was closed.");
        }
    }

    /// <summary>Cancels what is in flight and, when the server gave a session, ends it (a DELETE, as the transport asks of a client that leaves; briefly, at best).</summary>
    public async ValueTask DisposeAsync()
    {
        if (_closed.IsCancellationRequested)
        {
            return;
        }

        await _closed.CancelAsync().ConfigureAwait(false);
        if (_sessionId is not null)
        {
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Delete, _settings.ServerUrl);
                AddHeaders(request);
                using var brief = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                using var _ = await _http.SendAsync(request, brief.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpRequestException or IOException or InvalidOperationException or OperationCanceledException)
            {
                // The server is gone or slow: its session expires on its own.
            }
        }

        _http.Dispose();
    }
}
