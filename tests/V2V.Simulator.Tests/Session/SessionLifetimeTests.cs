using System.Net.WebSockets;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using V2V.Simulator.Tests.Support;

namespace V2V.Simulator.Tests.Session;

/// <summary>
/// Sessions end as the services end them: at <c>expires_at</c>, an <c>error</c> <c>session_expired</c>, then close
/// 1001 with the same message. A fake clock expires them without waiting; one test uses the real clock.
/// </summary>
public sealed class SessionLifetimeTests
{
    [Theory]
    [InlineData(ServiceProfile.OpenAi, 60)]
    [InlineData(ServiceProfile.Azure, 30)]
    public async Task ExpiresAt_IsCreationPlusTheProfilesLifetime(ServiceProfile profile, int minutes)
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-01T10:00:00.4Z", System.Globalization.CultureInfo.InvariantCulture));
        await using var server = await Servers.StartAsync(o =>
        {
            o.Profile = profile;
            o.TimeProvider = clock;
        });

        var (client, session) = await RealtimeTestClient.StartAsync(server);
        await using var _c = client;

        Assert.Equal(clock.GetUtcNow().AddMinutes(minutes).ToUnixTimeSeconds(), session["expires_at"]!.GetValue<long>());
    }

    [Fact]
    public async Task AtExpiry_SessionExpiredError_ThenClose1001_WithTheSameMessage()
    {
        var clock = new FakeTimeProvider();
        await using var server = await Servers.StartAsync(o => o.TimeProvider = clock);
        var (client, _) = await RealtimeTestClient.StartAsync(server);
        await using var _c = client;

        // A minute before the end the session still answers.
        clock.Advance(TimeSpan.FromMinutes(59));
        await client.SendAsync(new JsonObject { ["type"] = "session.update", ["session"] = new JsonObject { ["type"] = "realtime", ["instructions"] = "Still here?" } });
        await client.UntilAsync("session.updated");

        clock.Advance(TimeSpan.FromMinutes(1));
        var events = await client.UntilClosedAsync();

        var error = Assert.Single(events)["error"]!;
        Assert.Equal("invalid_request_error", error.Str("type"));
        Assert.Equal("session_expired", error.Str("code"));
        Assert.Equal("Your session hit the maximum duration of 60 minutes.", error.Str("message"));
        Assert.Null(error["param"]);
        Assert.Null(error["event_id"]);
        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, client.CloseStatus);
        Assert.Equal("Your session hit the maximum duration of 60 minutes.", client.CloseStatusDescription);
    }

    [Fact]
    public async Task Expiry_StopsTheActiveResponse_TheErrorIsTheLastEvent()
    {
        var clock = new FakeTimeProvider();
        await using var server = await Servers.StartAsync(beta: true, o =>
        {
            o.SpeedFactor = 1; // a response long enough to be cut
            o.TimeProvider = clock;
        });
        var (client, _) = await RealtimeTestClient.StartAsync(server, beta: true);
        await using var _c = client;
        await client.SendAsync(Turns.ServerVadTurnTests.VadUpdate(ga: false, transcription: false));
        await client.UntilAsync("session.updated");
        await client.AppendAudioAsync(TestAudio.Turn(300, 8000, 800)); // an answer of about 8 s: still streaming when the clock jumps
        await client.UntilAsync("response.audio.delta");

        clock.Advance(TimeSpan.FromMinutes(30));
        var events = await client.UntilClosedAsync();

        Assert.Equal("session_expired", events[^1]["error"]!.Str("code"));
        Assert.Equal("Your session hit the maximum duration of 30 minutes.", events[^1]["error"]!.Str("message"));
        Assert.Empty(events.OfType("response.done"));
        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, client.CloseStatus);
    }

    [Fact]
    public async Task ShortLifetime_OnTheRealClock_EndsTheSession_SayingItsSeconds()
    {
        await using var server = await Servers.StartAsync(o => o.SessionLifetime = TimeSpan.FromSeconds(2));
        var before = DateTimeOffset.UtcNow;
        var (client, session) = await RealtimeTestClient.StartAsync(server);
        await using var _c = client;
        var after = DateTimeOffset.UtcNow;

        Assert.InRange(session["expires_at"]!.GetValue<long>(), before.AddSeconds(2).ToUnixTimeSeconds(), after.AddSeconds(2).ToUnixTimeSeconds());
        var events = await client.UntilClosedAsync();

        Assert.Equal("Your session hit the maximum duration of 2 seconds.", Assert.Single(events)["error"]!.Str("message"));
        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, client.CloseStatus);
    }
}
