using Microsoft.Extensions.Logging;
using V2V.Realtime.Client;
using V2V.Simulator;
using V2V.Testing;

namespace V2V.Realtime.Tests.Client;

/// <summary>
/// A refused handshake says what the service said: its reason from the body, its error code, the wait of its
/// <c>Retry-After</c>, with keys masked. Against the local realtime server on loopback, in the service's profile.
/// </summary>
public sealed class HandshakeRefusalTests
{
    private const string ServerKey = "the-key-the-server-wants";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task WrongKey_OnOpenAI_ShowsTheServicesMessage_WithTheKeyMasked()
    {
        var wrongKey = "sk-proj-" + Guid.NewGuid().ToString("N");
        var logs = new CapturingLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(logs));
        await using var server = await LocalRealtimeServer.StartAsync(new LocalRealtimeServerOptions { ApiKey = ServerKey, SpeedFactor = 0 }, Ct);

        var ex = await Assert.ThrowsAsync<RealtimeAuthenticationException>(() => new RealtimeClient(new RealtimeClientOptions
        {
            BaseUri = server.BaseUri, ApiKey = wrongKey, Model = "gpt-realtime", LoggerFactory = loggerFactory,
        }).ConnectAsync(Ct));

        Assert.Equal(401, ex.StatusCode);
        Assert.Equal("invalid_api_key", ex.ErrorCode);
        Assert.StartsWith("Incorrect API key provided: sk-***.", ex.Reason, StringComparison.Ordinal);
        Assert.Contains("(HTTP 401: Incorrect API key provided", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Check ApiKey", ex.Message, StringComparison.Ordinal);
        // Neither the key nor the ends the service echoes of it.
        Assert.DoesNotContain(wrongKey, ex.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(wrongKey[^4..], ex.Message, StringComparison.Ordinal);
        Assert.Contains(logs.Lines, line => line.Contains("Incorrect API key provided", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Lines, line => line.Contains(wrongKey[^4..], StringComparison.Ordinal));
    }

    [Fact]
    public async Task WrongKey_OnAzure_ShowsAzuresMessage()
    {
        await using var server = await LocalRealtimeServer.StartAsync(new LocalRealtimeServerOptions { Profile = ServiceProfile.Azure, ApiKey = ServerKey, SpeedFactor = 0 }, Ct);

        var ex = await Assert.ThrowsAsync<RealtimeAuthenticationException>(() => new RealtimeClient(new RealtimeClientOptions
        {
            Vendor = RealtimeVendor.Azure, BaseUri = server.BaseUri, ApiKey = "0123456789abcdef0123456789abcdef", Model = "my-deployment",
        }).ConnectAsync(Ct));

        Assert.Equal(401, ex.StatusCode);
        Assert.Equal("401", ex.ErrorCode);
        Assert.Contains("Access denied due to invalid subscription key", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Azure: the resource's key", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("0123456789abcdef0123456789abcdef", ex.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ServiceProfile.OpenAi, "Rate limit reached for requests")]
    [InlineData(ServiceProfile.Azure, "exceeded the call rate limit")]
    public async Task RateLimited_CarriesTheRetryAfterWait_AndTheServicesReason(ServiceProfile profile, string said)
    {
        await using var server = await LocalRealtimeServer.StartAsync(new LocalRealtimeServerOptions
        {
            Profile = profile, SpeedFactor = 0,
            Faults = { RefuseHandshakeStatusCode = 429, RefuseHandshakeRetryAfter = TimeSpan.FromSeconds(7) },
        }, Ct);

        var ex = await Assert.ThrowsAsync<RealtimeHandshakeException>(() => new RealtimeClient(new RealtimeClientOptions
        {
            Vendor = profile == ServiceProfile.Azure ? RealtimeVendor.Azure : RealtimeVendor.OpenAI,
            BaseUri = server.BaseUri, Model = "m",
        }).ConnectAsync(Ct));

        Assert.IsNotType<RealtimeAuthenticationException>(ex);
        Assert.Equal(429, ex.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(7), ex.RetryAfter);
        Assert.Contains(said, ex.Reason, StringComparison.Ordinal);
        Assert.Contains("HTTP 429: " + ex.Reason!.TrimEnd('.'), ex.Message, StringComparison.Ordinal);
        Assert.Contains("wait 7 s", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RefusalWhoseBodyNeverEnds_KeepsItsStatusAndWhatCameOfTheBody()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        using var done = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var serving = Task.Run(async () =>
        {
            // A proxy that promises a body and stalls after its first line: the client must not wait for the rest.
            using var peer = await listener.AcceptTcpClientAsync(Ct);
            var stream = peer.GetStream();
            var request = new byte[8192];
            _ = await stream.ReadAsync(request, Ct);
            await stream.WriteAsync("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 10000\r\n\r\nupstream busy\n"u8.ToArray(), Ct);
            await Task.Delay(Timeout.Infinite, done.Token).ContinueWith(_ => { }, TaskScheduler.Default);
        }, Ct);

        var ex = await Assert.ThrowsAsync<RealtimeHandshakeException>(() => new RealtimeClient(new RealtimeClientOptions
        {
            BaseUri = new Uri($"ws://127.0.0.1:{port}"), Model = "m", ConnectTimeout = TimeSpan.FromSeconds(60),
        }).ConnectAsync(Ct));

        Assert.Equal(503, ex.StatusCode);
        Assert.Equal("upstream busy", ex.Reason);
        await done.CancelAsync();
        await serving;
    }

    [Fact]
    public async Task RefusalsCounted_ThenTheHandshakeIsAccepted()
    {
        await using var server = await LocalRealtimeServer.StartAsync(new LocalRealtimeServerOptions
        {
            SpeedFactor = 0, Faults = { RefuseHandshakeStatusCode = 503, RefuseHandshakes = 1 },
        }, Ct);
        var client = new RealtimeClient(new RealtimeClientOptions { BaseUri = server.BaseUri, Model = "m" });

        var ex = await Assert.ThrowsAsync<RealtimeHandshakeException>(() => client.ConnectAsync(Ct));
        await using var connection = await client.ConnectAsync(Ct);

        Assert.Equal(503, ex.StatusCode);
        Assert.Null(ex.RetryAfter);
        Assert.Contains("overloaded", ex.Reason, StringComparison.Ordinal);
        Assert.True(connection.IsOpen);
        await connection.CloseAsync(Ct);
    }
}
