using Microsoft.Extensions.Time.Testing;
using V2V.Realtime.Client;
using V2V.Testing;
using V2V.Voice.Outputs;
using V2V.Voice.Tests.Support;

namespace V2V.Voice.Tests.Session;

/// <summary>The connection stage in a whole session: the first connection's retries, and renewal before the service's expiry.</summary>
public sealed class ConnectionSupervisionTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(503, 3)] // overloaded for now: tried again, twice
    [InlineData(429, 3)]
    [InlineData(401, 1)] // a refused key: retrying cannot help
    [InlineData(404, 1)] // no such model or deployment
    public async Task FirstConnection_RetriesOnlyARefusalForNow_ABoundedNumberOfTimes_ThenFailsWithTheStatus(int status, int handshakes)
    {
        await using var peer = await LoopbackWebSocketServer.StartAsync((_, _, _) => Task.CompletedTask, refuseWith: status);

        var error = await Assert.ThrowsAnyAsync<RealtimeHandshakeException>(() => VoiceSession.StartAsync(new VoiceSessionOptions
        {
            Connection = new RealtimeClientOptions { BaseUri = peer.BaseUri },
            FirstConnectRetries = 2,
            ReconnectDelay = TimeSpan.FromMilliseconds(10),
            MaxReconnectDelay = TimeSpan.FromMilliseconds(50),
        }, cancellationToken: Ct));

        Assert.Equal(status, error.StatusCode);
        Assert.Contains(status.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message, StringComparison.Ordinal);
        Assert.Equal(handshakes, peer.Handshakes.Count);
    }

    [Fact]
    public async Task Session_IsRenewedAFewMinutesBeforeTheServicesExpiresAt_OnTheSharedClock_AndGoesOn()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));
        var started = clock.GetUtcNow();
        await using var harness = await SessionHarness.StartAsync(o =>
        {
            o.AudioOut = false;
            o.TimeProvider = clock;
        }, s =>
        {
            s.TimeProvider = clock;
            s.SessionLifetime = TimeSpan.FromMinutes(30); // as Azure's
        });
        await harness.Session.SendTextAsync("remember the colour green", Ct);
        await harness.WaitForAsync(SessionHarness.HasFinalAssistantTranscript, "the first answer");
        static int Connections(IReadOnlyList<VoiceSessionEvent> o) => o.OfType<StateOutput>().Count(s => s.State == VoiceSessionState.Connected);

        // Twenty minutes in: no renewal yet (the plan is 24 to 29 minutes, from expires_at).
        for (var minute = 0; minute < 20; minute++)
        {
            clock.Advance(TimeSpan.FromMinutes(1));
            await Task.Delay(5, Ct);
        }
        Assert.Equal(1, Connections(harness.Outputs));
        var guard = DateTime.UtcNow.AddSeconds(60);
        while (Connections(harness.Outputs) < 2 && DateTime.UtcNow < guard)
        {
            clock.Advance(TimeSpan.FromSeconds(5));
            await Task.Delay(20, Ct);
        }
        await harness.WaitForAsync(o => Connections(o) >= 2, "a renewed connection");
        Assert.True(clock.GetUtcNow() - started < TimeSpan.FromMinutes(30), $"renewed at {clock.GetUtcNow() - started}, after the session expired");

        clock.Advance(TimeSpan.FromMinutes(10)); // past the first session's expiry: it was closed before
        await harness.Session.SendTextAsync("what colour?", Ct);
        var outputs = await harness.WaitForAsync(o => o.OfType<TranscriptOutput>().Count(t => t.IsFinal && t.Role == TranscriptRole.Assistant) >= 2, "an answer on the new connection");

        Assert.DoesNotContain(outputs, o => o is StateOutput { State: VoiceSessionState.Reconnecting or VoiceSessionState.Stopped });
        Assert.DoesNotContain(outputs.OfType<ErrorOutput>(), e => e.Message.Contains("maximum duration", StringComparison.Ordinal));
        Assert.True(harness.Sent("session.update").Count >= 2);
        Assert.True(harness.Sent("conversation.item.create").Count(e => e.GetProperty("item").GetProperty("role").GetString() == "user"
            && e.GetProperty("item").GetProperty("content")[0].GetProperty("text").GetString() == "remember the colour green") >= 2);
    }
}
