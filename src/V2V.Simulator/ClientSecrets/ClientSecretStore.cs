using System.Security.Cryptography;
using System.Text.Json;

namespace V2V.Simulator.ClientSecrets;

/// <summary>
/// The live client secrets of one server instance, shared by its <c>client_secrets</c> endpoint (which mints them) and
/// its realtime endpoint (which honours them).
/// </summary>
/// <remarks>
/// Bounded: at most <see cref="Capacity"/> unexpired secrets (<see cref="DefaultCapacity"/>, 10,000). Each mint first
/// drops the secrets that have expired, in order of expiry (so a mint costs only what it drops); when the store is still
/// full the mint is refused (the endpoint answers 429) rather than a live secret evicted: a key handed to a browser keeps
/// working until the <c>expires_at</c> it was given, as the service promises. Expiry is read on the server's
/// <see cref="TimeProvider"/>, so tests expire secrets on a fake clock.
/// </remarks>
internal sealed class ClientSecretStore(TimeProvider clock, int capacity = ClientSecretStore.DefaultCapacity)
{
    public const int DefaultCapacity = 10_000;

    private readonly Lock _lock = new();
    private readonly Dictionary<string, ClientSecret> _live = new(StringComparer.Ordinal);
    private readonly PriorityQueue<string, DateTimeOffset> _byExpiry = new();

    public int Capacity => capacity;

    /// <summary>
    /// Mints a secret that lives <paramref name="lifetime"/> from now (its expiry cut to the whole second it is reported
    /// as), or returns null when <see cref="Capacity"/> unexpired ones are live. <paramref name="live"/>: how many are
    /// live now, the new one included.
    /// </summary>
    public ClientSecret? TryMint(TimeSpan lifetime, string? model, JsonElement? session, out int live)
    {
        var now = clock.GetUtcNow();
        var expiresAt = DateTimeOffset.FromUnixTimeSeconds((now + lifetime).ToUnixTimeSeconds());
        lock (_lock)
        {
            Prune(now);
            if (_live.Count >= capacity)
            {
                live = _live.Count;
                return null;
            }

            var secret = new ClientSecret(NewValue(), expiresAt, model, session);
            _live.Add(secret.Value, secret);
            _byExpiry.Enqueue(secret.Value, expiresAt);
            live = _live.Count;
            return secret;
        }
    }

    /// <summary>The live secret of that value, or null when it was never minted here or has expired.</summary>
    public ClientSecret? Find(string value)
    {
        var now = clock.GetUtcNow();
        lock (_lock)
        {
            return _live.TryGetValue(value, out var secret) && now < secret.ExpiresAt ? secret : null;
        }
    }

    private void Prune(DateTimeOffset now)
    {
        while (_byExpiry.TryPeek(out var value, out var expiresAt) && expiresAt <= now)
        {
            _byExpiry.Dequeue();
            _live.Remove(value);
        }
    }

    /// <summary>128 bits from the system's cryptographic generator: a key nobody can guess, as the service's <c>ek_</c> keys.</summary>
    private static string NewValue() => ClientSecret.Prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
}
