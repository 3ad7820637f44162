using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using V2V.Realtime.Client;
using V2V.Simulator;
using V2V.Testing;

namespace V2V.Voice.Tests.Session;

/// <summary>
/// The first connection refused with HTTP 429 and <c>Retry-After</c>, by the local realtime server on loopback: the
/// session waits what the service asks (on its clock, a fake one here), never beyond the give-up time. And the first
/// connection lost while it is being configured: a network blip at the start is tried again, as a refusal is.
/// </summary>
public sealed class FirstConnectionRetryAfterTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RateLimitedWithRetryAfter_IsTriedAgainAfterThatWait_ThenConnects()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 2, 12, 0, 0, TimeSpan.Zero));
        var logs = new CapturingLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(logs));
        await using var server = await RefusingServerAsync(TimeSpan.FromSeconds(7), refusals: 1);

        var start = VoiceSession.StartAsync(Options(server, clock, loggerFactory), cancellationToken: Ct);
        var guard = DateTime.UtcNow.AddSeconds(60);
        var waited = TimeSpan.Zero;
        while (!start.IsCompleted && DateTime.UtcNow < guard)
        {
            // The retry's timer is set on the fake clock some time after the refusal: step until it fires.
            await Task.Delay(20, Ct);
            if (logs.Lines.Any(l => l.Contains("trying again in", StringComparison.Ordinal)))
            {
                clock.Advance(TimeSpan.FromSeconds(1));
                waited += TimeSpan.FromSeconds(1);
            }
        }
        await using var session = await start.WaitAsync(TimeSpan.FromSeconds(30), Ct);

        var retry = Assert.Single(logs.Lines, l => l.Contains("trying again in", StringComparison.Ordinal));
        Assert.Contains("trying again in 00:00:07:", retry, StringComparison.Ordinal);
        Assert.Contains("HTTP 429: Rate limit reached for requests", retry, StringComparison.Ordinal);
        Assert.True(waited >= TimeSpan.FromSeconds(7), $"connected after {waited} on the session's clock; the service asked for 7 s");
    }

    [Fact]
    public async Task RetryAfterBeyondTheGiveUpTime_FailsTheStartAtOnce_WithTheServicesReasonAndWait()
    {
        var logs = new CapturingLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(logs));
        await using var server = await RefusingServerAsync(TimeSpan.FromMinutes(5), refusals: null);
        var options = Options(server, TimeProvider.System, loggerFactory);
        options.ReconnectGiveUpAfter = TimeSpan.FromMinutes(2);

        var error = await Assert.ThrowsAsync<RealtimeHandshakeException>(() => VoiceSession.StartAsync(options, cancellationToken: Ct));

        Assert.Equal(429, error.StatusCode);
        Assert.Equal(TimeSpan.FromMinutes(5), error.RetryAfter);
        Assert.Contains("Rate limit reached for requests", error.Message, StringComparison.Ordinal);
        Assert.Contains("wait 300 s", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(logs.Lines, l => l.Contains("trying again in", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AFirstConnectionDroppedWhileBeingConfigured_IsTriedAgain_AndTheSessionStarts()
    {
        var logs = new CapturingLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(logs));
        // Dropped right after session.created, without a close handshake; the next connection is left alone.
        await using var server = await LocalRealtimeServer.StartAsync(new LocalRealtimeServerOptions
        {
            SpeedFactor = 0,
            Faults = { CloseAfterEvents = 1, AbortInsteadOfClose = true, CloseConnections = 1 },
        }, Ct);

        // The start does not fail. Where the drop is seen depends on timing: in the handshake (the reset discards its
        // unread answer), while configuring (a retry of the start: what this test adds; the old rule threw here), or once
        // live (a reconnect). The mechanism itself is tested without the race in
        // ConnectionSupervisorTests.AFirstConnectionLostWhileBeingConfigured_IsTriedAgain_AsARefusalForNowIs.
        await using var session = await VoiceSession.StartAsync(Options(server, TimeProvider.System, loggerFactory), Ct);

        // Whichever it was, the session says so once, as a warning without an HTTP status. Seen once live, the drop is
        // logged by the connection stage after the start returned (on a busy machine, a while after): waited for.
        static bool SaysIt(string line) => line.Contains("Connecting failed (attempt 1 of 3)", StringComparison.Ordinal)
            || line.Contains("Realtime connection ended", StringComparison.Ordinal);
        var guard = DateTime.UtcNow.AddSeconds(30);
        while (!logs.Lines.Any(SaysIt) && DateTime.UtcNow < guard)
        {
            await Task.Delay(20, Ct);
        }
        var said = Assert.Single(logs.Lines, SaysIt);
        Assert.StartsWith("Warning", said, StringComparison.Ordinal);
        Assert.DoesNotContain("HTTP", said, StringComparison.Ordinal);
        Assert.Contains(logs.Lines, l => l.Contains("Connected to", StringComparison.Ordinal));
    }

    private static Task<LocalRealtimeServer> RefusingServerAsync(TimeSpan retryAfter, int? refusals) =>
        LocalRealtimeServer.StartAsync(new LocalRealtimeServerOptions
        {
            SpeedFactor = 0,
            Faults = { RefuseHandshakeStatusCode = 429, RefuseHandshakeRetryAfter = retryAfter, RefuseHandshakes = refusals },
        }, Ct);

    private static VoiceSessionOptions Options(LocalRealtimeServer server, TimeProvider clock, ILoggerFactory loggerFactory) => new()
    {
        Connection = new RealtimeClientOptions { BaseUri = server.BaseUri, Model = "gpt-realtime" },
        AudioOut = false,
        TimeProvider = clock,
        FirstConnectRetries = 2,
        // Shorter than the service's wait: the wait it asks for wins over the backoff.
        ReconnectDelay = TimeSpan.FromMilliseconds(10),
        MaxReconnectDelay = TimeSpan.FromMilliseconds(50),
        LoggerFactory = loggerFactory,
    };
}
