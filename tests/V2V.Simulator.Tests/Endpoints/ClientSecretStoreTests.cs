using Microsoft.Extensions.Time.Testing;
using V2V.Simulator.ClientSecrets;

namespace V2V.Simulator.Tests.Endpoints;

/// <summary>The store's bound: 10,000 unexpired secrets, the expired ones dropped as new ones are minted.</summary>
public sealed class ClientSecretStoreTests
{
    [Fact]
    public void AtTheBound_AMintIsRefused_UntilSomeExpire_AndExpiredOnesAreNeitherFoundNorCounted()
    {
        var clock = new FakeTimeProvider();
        var store = new ClientSecretStore(clock);
        var shortLived = store.TryMint(TimeSpan.FromSeconds(10), null, null, out _)!;
        for (var i = 1; i < ClientSecretStore.DefaultCapacity; i++)
        {
            Assert.NotNull(store.TryMint(TimeSpan.FromSeconds(600), null, null, out _));
        }

        Assert.Null(store.TryMint(TimeSpan.FromSeconds(600), null, null, out var live));
        Assert.Equal(10_000, live);
        Assert.Same(shortLived, store.Find(shortLived.Value));

        clock.Advance(TimeSpan.FromSeconds(10));

        Assert.Null(store.Find(shortLived.Value));
        Assert.NotNull(store.TryMint(TimeSpan.FromSeconds(600), null, null, out live));
        Assert.Equal(10_000, live);
        Assert.Null(store.TryMint(TimeSpan.FromSeconds(600), null, null, out _));
    }

    [Fact]
    public void ASecretsExpiry_IsTheWholeSecondItIsReportedAs()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(1_000_000_500));
        var store = new ClientSecretStore(clock);

        var secret = store.TryMint(TimeSpan.FromSeconds(60), null, null, out _)!;

        Assert.Equal(1_000_060, secret.ExpiresAt.ToUnixTimeSeconds());
        Assert.Equal(0, secret.ExpiresAt.Millisecond);
        clock.Advance(TimeSpan.FromMilliseconds(59_499));
        Assert.NotNull(store.Find(secret.Value));
        clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Null(store.Find(secret.Value));
    }
}
