using System.Text.Json;

namespace V2V.Realtime.Client;

/// <summary>
/// An ephemeral key (<c>ek_...</c>) made by <see cref="RealtimeClient.CreateClientSecretAsync"/>: a short-lived key
/// for an app on a user's device or in a browser, which opens realtime sessions without ever holding the API key.
/// Give it to such a client through <see cref="RealtimeClientOptions.ApiKeyProvider"/> (or its <c>ApiKey</c> for
/// one connection). It is a secret: <see cref="ToString"/> does not show it, and nothing of this library logs it.
/// </summary>
public sealed class RealtimeClientSecret
{
    internal RealtimeClientSecret(string value, DateTimeOffset expiresAt, JsonElement session)
    {
        Value = value;
        ExpiresAt = expiresAt;
        Session = session;
    }

    /// <summary>The key, to present as the API key is (<c>Authorization: Bearer</c>, or a browser's subprotocol).</summary>
    public string Value { get; }

    /// <summary>When the key stops opening new sessions.</summary>
    public DateTimeOffset ExpiresAt { get; }

    /// <summary>The session the key's connections start with, as the service reported it.</summary>
    public JsonElement Session { get; }

    /// <summary>The session's model, as the service reported it; null when it named none.</summary>
    public string? Model => Session.ValueKind == JsonValueKind.Object && Session.TryGetProperty("model", out var model) && model.ValueKind == JsonValueKind.String
        ? model.GetString()
        : null;

    /// <summary>Whether the key can still open a session at <paramref name="now"/>.</summary>
    public bool IsLiveAt(DateTimeOffset now) => now < ExpiresAt;

    /// <summary>The key masked, with its expiry: safe to log.</summary>
    public override string ToString() => $"client secret ek_*** expiring {ExpiresAt:u}";
}
