using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using V2V.Realtime.Client;
using V2V.Realtime.Protocol;
using V2V.Realtime.Protocol.ServerEvents;
using V2V.Simulator;
using V2V.Testing;

namespace V2V.Realtime.Tests.Client;

/// <summary>
/// Ephemeral keys end to end against the local realtime server, which makes and checks them as the service does: the
/// app's server makes one with its API key; a client connects with it through ApiKeyProvider and never holds the key.
/// </summary>
public sealed class ClientSecretTests
{
    private const string ServerKey = "sk-server-KEY-THAT-MUST-NEVER-LEAVE-THE-SERVER-0001";

    [Fact]
    public async Task ASecret_OpensASession_ThatStartsWithTheSecretsSession_WithoutTheApiKeyOnTheClient()
    {
        await using var server = await StartServerAsync();
        var secret = await Minter(server).CreateClientSecretAsync(new RealtimeClientSecretOptions
        {
            ExpiresAfter = TimeSpan.FromMinutes(2),
            Session = new JsonObject { ["instructions"] = "Answer as a ship's captain would." },
        }, Ct);

        Assert.StartsWith("ek_", secret.Value, StringComparison.Ordinal);
        Assert.Equal("gpt-realtime", secret.Model); // the minting client's model, sent as the session's
        Assert.Equal(server.Clock.GetUtcNow().ToUnixTimeSeconds() + 120, secret.ExpiresAt.ToUnixTimeSeconds());
        Assert.DoesNotContain(secret.Value, secret.ToString(), StringComparison.Ordinal);

        await using var connection = await new RealtimeClient(new RealtimeClientOptions
        {
            BaseUri = server.Server.BaseUri, ApiKeyProvider = _ => ValueTask.FromResult(secret.Value),
        }).ConnectAsync(Ct); // no Model: the secret names it
        var created = await FirstEventAsync<SessionCreatedEvent>(connection);
        Assert.Equal("Answer as a ship's captain would.", created.Session.Instructions);
        Assert.Equal("gpt-realtime", created.Session.Model);
    }

    [Fact]
    public async Task TheProvider_IsAskedAtEveryConnection_SoAnExpiredKeyIsNeverReused()
    {
        await using var server = await StartServerAsync();
        var minter = Minter(server);
        var asked = 0;
        var client = new RealtimeClient(new RealtimeClientOptions
        {
            BaseUri = server.Server.BaseUri, Model = "gpt-realtime",
            ApiKeyProvider = async ct =>
            {
                asked++;
                return (await minter.CreateClientSecretAsync(new RealtimeClientSecretOptions { ExpiresAfter = TimeSpan.FromSeconds(10) }, ct)).Value;
            },
        });

        await using (var first = await client.ConnectAsync(Ct))
        {
            await FirstEventAsync<SessionCreatedEvent>(first);
        }
        server.Clock.Advance(TimeSpan.FromSeconds(11)); // the first key has expired
        await using (var second = await client.ConnectAsync(Ct))
        {
            await FirstEventAsync<SessionCreatedEvent>(second);
        }

        Assert.Equal(2, asked);
    }

    [Fact]
    public async Task AnExpiredKey_IsRefused_NamingTheProvider_WithoutTheKeyInTheErrorOrTheLogs()
    {
        await using var server = await StartServerAsync();
        var secret = await Minter(server).CreateClientSecretAsync(new RealtimeClientSecretOptions { ExpiresAfter = TimeSpan.FromSeconds(10) }, Ct);
        server.Clock.Advance(TimeSpan.FromSeconds(10));
        var logs = new CapturingLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(logs));

        var asked = 0;

        var refused = await Assert.ThrowsAsync<RealtimeAuthenticationException>(() => new RealtimeClient(new RealtimeClientOptions
        {
            BaseUri = server.Server.BaseUri, Model = "gpt-realtime", LoggerFactory = loggerFactory,
            ApiKeyProvider = _ =>
            {
                asked++;
                return ValueTask.FromResult(secret.Value);
            },
        }).ConnectAsync(Ct));

        Assert.Equal(2, asked); // asked once more after the refusal, and refused again
        Assert.Equal(401, refused.StatusCode);
        Assert.Equal(nameof(RealtimeClientOptions.ApiKeyProvider), refused.Option);
        Assert.Contains("ApiKeyProvider", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(secret.Value, refused.ToString(), StringComparison.Ordinal);
        Assert.NotEmpty(logs.Lines);
        Assert.DoesNotContain(logs.Lines, line => line.Contains(secret.Value, StringComparison.Ordinal));
    }

    [Fact]
    public async Task AKeyThatExpiredBeforeItsUse_IsFollowedByANewOne_WithoutFailingTheConnection()
    {
        // An app's server that hands out the key it made a while ago: the first one the client gets has just expired.
        await using var server = await StartServerAsync();
        var minter = Minter(server);
        var stale = await minter.CreateClientSecretAsync(new RealtimeClientSecretOptions { ExpiresAfter = TimeSpan.FromSeconds(10) }, Ct);
        server.Clock.Advance(TimeSpan.FromSeconds(10));
        var asked = 0;

        await using var connection = await new RealtimeClient(new RealtimeClientOptions
        {
            BaseUri = server.Server.BaseUri, Model = "gpt-realtime",
            ApiKeyProvider = async ct => asked++ == 0 ? stale.Value : (await minter.CreateClientSecretAsync(cancellationToken: ct)).Value,
        }).ConnectAsync(Ct);

        await FirstEventAsync<SessionCreatedEvent>(connection);
        Assert.Equal(2, asked);
    }

    [Fact]
    public async Task AWrongApiKey_IsARequestFailure_WithTheStatus_AndWithoutTheKey()
    {
        await using var server = await StartServerAsync();
        const string wrong = "sk-wrong-KEY-0123456789abcdef0123456789";

        var refused = await Assert.ThrowsAsync<RealtimeRequestException>(() => new RealtimeClient(new RealtimeClientOptions
        {
            BaseUri = server.Server.BaseUri, Model = "gpt-realtime", ApiKey = wrong,
        }).CreateClientSecretAsync(cancellationToken: Ct));

        Assert.Equal(401, refused.StatusCode);
        Assert.False(refused.IsTransient);
        Assert.Contains("/v1/realtime/client_secrets", refused.Endpoint, StringComparison.Ordinal);
        Assert.DoesNotContain(wrong, refused.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASessionTheServiceRefuses_NamesTheField()
    {
        await using var server = await StartServerAsync();

        var refused = await Assert.ThrowsAsync<RealtimeRequestException>(() => Minter(server).CreateClientSecretAsync(new RealtimeClientSecretOptions
        {
            Session = JsonNode.Parse("""{"audio":{"output":{"voice":"no-such-voice"}}}""")!.AsObject(),
        }, Ct));

        Assert.Equal(400, refused.StatusCode);
        Assert.StartsWith("session.", refused.Param, StringComparison.Ordinal);
        Assert.Contains(refused.Param!, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AKeyFromAProvider_CannotMakeASecret()
    {
        var client = new RealtimeClient(new RealtimeClientOptions
        {
            BaseUri = new Uri("wss://api.openai.com"), Model = "gpt-realtime", ApiKeyProvider = _ => ValueTask.FromResult("ek_x"),
        });

        var refused = await Assert.ThrowsAsync<RealtimeConfigurationException>(() => client.CreateClientSecretAsync(cancellationToken: Ct));

        Assert.Equal(nameof(RealtimeClientOptions.ApiKey), refused.Option);
    }

    [Theory]
    [InlineData(9)]
    [InlineData(7201)]
    public async Task ALifetimeOutsideTheServicesRange_IsRefusedBeforeAnyRequest(int seconds)
    {
        var client = new RealtimeClient(new RealtimeClientOptions { BaseUri = new Uri("ws://127.0.0.1:9"), Model = "gpt-realtime" });

        var refused = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() =>
            client.CreateClientSecretAsync(new RealtimeClientSecretOptions { ExpiresAfter = TimeSpan.FromSeconds(seconds) }, Ct));

        Assert.Contains("10 s to 2 h", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AProviderBesideAFixedKey_IsRefused_NamingThem()
    {
        var refused = Assert.Throws<RealtimeConfigurationException>(() => new RealtimeClient(new RealtimeClientOptions
        {
            BaseUri = new Uri("wss://api.openai.com"), Model = "gpt-realtime", ApiKey = "sk-x", ApiKeyProvider = _ => ValueTask.FromResult("ek_x"),
        }));

        Assert.Equal(nameof(RealtimeClientOptions.ApiKeyProvider), refused.Option);
        Assert.Contains("ApiKey", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AProviderThatFails_FailsTheAttempt_AsANetworkFailureWouldBe_ThatARetryMayMend()
    {
        var refused = await Assert.ThrowsAsync<RealtimeHandshakeException>(() => new RealtimeClient(new RealtimeClientOptions
        {
            BaseUri = new Uri("ws://127.0.0.1:9"), Model = "gpt-realtime",
            ApiKeyProvider = _ => throw new HttpRequestException("the app's server did not answer"),
        }).ConnectAsync(Ct));

        Assert.Null(refused.StatusCode);
        Assert.Contains("ApiKeyProvider failed", refused.Message, StringComparison.Ordinal);
        Assert.Contains("the app's server did not answer", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AProviderThatHangs_FailsTheAttemptAtTheConnectTimeout_SayingItWasTheProvider()
    {
        var refused = await Assert.ThrowsAsync<RealtimeHandshakeException>(() => new RealtimeClient(new RealtimeClientOptions
        {
            BaseUri = new Uri("ws://127.0.0.1:9"), Model = "gpt-realtime", ConnectTimeout = TimeSpan.FromSeconds(1),
            ApiKeyProvider = async ct =>
            {
                await Task.Delay(Timeout.Infinite, ct); // the app's server never answers
                return "ek_never";
            },
        }).ConnectAsync(Ct));

        Assert.Null(refused.StatusCode);
        Assert.Contains("ApiKeyProvider gave no key within the connect timeout", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AProviderThatReturnsNoKey_IsAConfigurationFault()
    {
        var refused = await Assert.ThrowsAsync<RealtimeConfigurationException>(() => new RealtimeClient(new RealtimeClientOptions
        {
            BaseUri = new Uri("ws://127.0.0.1:9"), Model = "gpt-realtime", ApiKeyProvider = _ => ValueTask.FromResult(""),
        }).ConnectAsync(Ct));

        Assert.Equal(nameof(RealtimeClientOptions.ApiKeyProvider), refused.Option);
    }

    [Theory]
    [InlineData("ek_68af296e8e408191a1120ab6383263c2")]
    [InlineData("ek_********63c2")]
    public void AnEphemeralKeyInFreeText_IsMasked(string key)
    {
        var masked = SecretRedactor.RedactKeys($"Incorrect API key provided: {key}. Make a new one.");

        Assert.DoesNotContain(key, masked, StringComparison.Ordinal);
        Assert.Contains("ek_***", masked, StringComparison.Ordinal);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static RealtimeClient Minter(ServerWithClock server) =>
        new(new RealtimeClientOptions { BaseUri = server.Server.BaseUri, Model = "gpt-realtime", ApiKey = ServerKey });

    private static async Task<ServerWithClock> StartServerAsync()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var server = await LocalRealtimeServer.StartAsync(new LocalRealtimeServerOptions { ApiKey = ServerKey, TimeProvider = clock, SpeedFactor = 20 }, Ct);
        return new ServerWithClock(server, clock);
    }

    private static async Task<T> FirstEventAsync<T>(IRealtimeConnection connection) where T : RealtimeServerEvent
    {
        await foreach (var e in connection.ReadEventsAsync(Ct))
        {
            return Assert.IsType<T>(e);
        }
        throw new InvalidOperationException("The connection ended before its first event.");
    }

    private sealed record ServerWithClock(LocalRealtimeServer Server, FakeTimeProvider Clock) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Server.DisposeAsync();
    }
}
