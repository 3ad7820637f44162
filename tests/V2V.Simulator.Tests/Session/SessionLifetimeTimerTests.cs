using Microsoft.Extensions.Time.Testing;
using V2V.Simulator.Session;

namespace V2V.Simulator.Tests.Session;

/// <summary>The session's lifetime on a fake clock: expires_at fixed at creation, one call back then.</summary>
public sealed class SessionLifetimeTimerTests
{
    [Fact]
    public void ExpiresAt_IsCreationPlusTheLength_AndTheCallbackComesOnceThen()
    {
        var clock = new FakeTimeProvider();
        var created = clock.GetUtcNow();
        using var lifetime = new SessionLifetime(clock, TimeSpan.FromMinutes(30));
        var expired = 0;

        clock.Advance(TimeSpan.FromMinutes(1));
        lifetime.Start(() =>
        {
            expired++;
            return Task.CompletedTask;
        });
        clock.Advance(TimeSpan.FromMinutes(29) - TimeSpan.FromTicks(1));
        Assert.Equal(0, expired);
        clock.Advance(TimeSpan.FromTicks(1));
        clock.Advance(TimeSpan.FromHours(1));

        Assert.Equal(created + TimeSpan.FromMinutes(30), lifetime.ExpiresAt);
        Assert.Equal(1, expired);
    }

    [Fact]
    public void ALifetimeAlreadyOver_ExpiresAtOnce()
    {
        var clock = new FakeTimeProvider();
        using var lifetime = new SessionLifetime(clock, TimeSpan.FromSeconds(1));
        clock.Advance(TimeSpan.FromSeconds(5));
        var expired = 0;

        lifetime.Start(() =>
        {
            expired++;
            return Task.CompletedTask;
        });
        clock.Advance(TimeSpan.Zero);

        Assert.Equal(1, expired);
    }

    [Fact]
    public void ADisposedLifetime_NeverExpires()
    {
        var clock = new FakeTimeProvider();
        var lifetime = new SessionLifetime(clock, TimeSpan.FromSeconds(10));
        var expired = 0;
        lifetime.Start(() =>
        {
            expired++;
            return Task.CompletedTask;
        });

        lifetime.Dispose();
        clock.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal(0, expired);
    }
}
