using Microsoft.Extensions.Logging;
using V2V.Realtime.Client;
using V2V.Realtime.Protocol;
using V2V.Realtime.Tests.Support;
using V2V.Testing;

namespace V2V.Realtime.Tests.Client;

/// <summary>The handshake as a real server on loopback sees it, and the failures of a refused one.</summary>
public sealed class RealtimeClientHandshakeTests
{
    private const string Key = "sk-live-THIS-KEY-MUST-NEVER-BE-LOGGED-1234";

    [Theory]
    [InlineData(RealtimeDialect.GA)]
    [InlineData(RealtimeDialect.Beta)]
    public async Task OpenAIForm_SendsPathModelBearerKey_AndTheDialectHeader(RealtimeDialect dialect)
    {
        await using var server = await LoopbackWebSocketServer.StartAsync((s, srv, ct) => srv.RecordUntilClosedAsync(s, ct));
        await using (var client = await new RealtimeClient(new RealtimeClientOptions
        {
            BaseUri = server.BaseUri, ApiKey = Key, Model = "gpt-realtime", Dialect = dialect,
        }).ConnectAsync(TestContext.Current.CancellationToken))
        {
            await client.CloseAsync(TestContext.Current.CancellationToken);
        }

        var handshake = Assert.Single(server.Handshakes);
        Assert.Equal("/v1/realtime", handshake.Path);
        Assert.Equal("?model=gpt-realtime", handshake.Query);
        Assert.Equal("Bearer " + Key, handshake.Headers["Authorization"]);
        Assert.False(handshake.Headers.ContainsKey("api-key"));
        if (dialect == RealtimeDialect.Beta)
        {
            Assert.Equal("realtime=v1", handshake.Headers["OpenAI-Beta"]);
        }
        else
        {
            Assert.False(handshake.Headers.ContainsKey("OpenAI-Beta"));
        }
    }

    [Fact]
    public async Task AzureForm_SendsApiKeyHeader_AndTheDeploymentPath()
    {
        await using var server = await LoopbackWebSocketServer.StartAsync((s, srv, ct) => srv.RecordUntilClosedAsync(s, ct));
        await using (var client = await new RealtimeClient(new RealtimeClientOptions
        {
            Vendor = RealtimeVendor.Azure, BaseUri = server.BaseUri, ApiKey = Key,
            Path = "/openai/realtime?api-version=2025-04-01-preview&deployment=my-preview-deployment",
            Dialect = RealtimeDialect.Beta,
        }).ConnectAsync(TestContext.Current.CancellationToken))
        {
            await client.CloseAsync(TestContext.Current.CancellationToken);
        }

        var handshake = Assert.Single(server.Handshakes);
        Assert.Equal("/openai/realtime", handshake.Path);
        Assert.Contains("api-version=2025-04-01-preview", handshake.Query, StringComparison.Ordinal);
        Assert.Contains("deployment=my-preview-deployment", handshake.Query, StringComparison.Ordinal);
        Assert.DoesNotContain("model=", handshake.Query, StringComparison.Ordinal);
        Assert.Equal(Key, handshake.Headers["api-key"]);
        Assert.False(handshake.Headers.ContainsKey("Authorization"));
    }

    [Theory]
    [InlineData(401)]
    [InlineData(403)]
    public async Task RefusedKey_IsAnAuthenticationFailure_WithoutTheKeyAnywhere(int status)
    {
        var logs = new CapturingLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(logs));
        await using var server = await LoopbackWebSocketServer.StartAsync((_, _, _) => Task.CompletedTask, refuseWith: status);

        var ex = await Assert.ThrowsAsync<RealtimeAuthenticationException>(() => new RealtimeClient(new RealtimeClientOptions
        {
            BaseUri = server.BaseUri, ApiKey = Key, Model = "m", LoggerFactory = loggerFactory,
        }).ConnectAsync(TestContext.Current.CancellationToken));

        Assert.Equal(status, ex.StatusCode);
        Assert.Contains(server.BaseUri.Authority, ex.Endpoint, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, ex.ToString(), StringComparison.Ordinal);
        Assert.NotEmpty(logs.Lines);
        Assert.DoesNotContain(logs.Lines, line => line.Contains(Key, StringComparison.Ordinal));
    }

    [Fact]
    public async Task OtherRefusal_NamesTheUrlAndStatus()
    {
        await using var server = await LoopbackWebSocketServer.StartAsync((_, _, _) => Task.CompletedTask, refuseWith: 503);

        var ex = await Assert.ThrowsAsync<RealtimeHandshakeException>(() => new RealtimeClient(new RealtimeClientOptions
        {
            BaseUri = server.BaseUri, ApiKey = Key, Path = "/openai/realtime?api-version=1&deployment=d&api-key=" + Key, Vendor = RealtimeVendor.Azure,
        }).ConnectAsync(TestContext.Current.CancellationToken));

        Assert.IsNotType<RealtimeAuthenticationException>(ex);
        Assert.Equal(503, ex.StatusCode);
        Assert.Contains("HTTP 503", ex.Message, StringComparison.Ordinal);
        Assert.Contains("/openai/realtime", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task NothingListening_IsAHandshakeFailureWithoutStatus_ThatSaysTheConnectionWasRefused()
    {
        var port = FreePort();
        var logs = new CapturingLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(logs));

        var ex = await Assert.ThrowsAsync<RealtimeHandshakeException>(() => new RealtimeClient(new RealtimeClientOptions
        {
            BaseUri = new Uri($"ws://127.0.0.1:{port}"), ApiKey = Key, LoggerFactory = loggerFactory,
        }).ConnectAsync(TestContext.Current.CancellationToken));

        Assert.Null(ex.StatusCode);
        Assert.Contains($"127.0.0.1:{port}", ex.Message, StringComparison.Ordinal);
        // ClientWebSocket's own words ("Unable to connect to the remote server") do not say why; the cause beneath does.
        Assert.Contains("refused", ex.Message, StringComparison.OrdinalIgnoreCase);
        // The log says it too (at Information: the caller reports the failure it is thrown), with no empty status in it.
        var warning = Assert.Single(logs.Lines, l => l.Contains("Handshake failed", StringComparison.Ordinal));
        Assert.Contains("refused", warning, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("(null)", warning, StringComparison.Ordinal);
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
