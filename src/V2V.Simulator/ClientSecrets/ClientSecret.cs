using System.Text.Json;

namespace V2V.Simulator.ClientSecrets;

/// <summary>
/// An ephemeral key minted by <c>POST .../client_secrets</c>: until <see cref="ExpiresAt"/> it opens sessions (any
/// number of them) that start with its <see cref="Session"/> configuration.
/// </summary>
/// <remarks>Not a record: a record's <c>ToString</c> would print the key into whatever log it reached.</remarks>
internal sealed class ClientSecret(string value, DateTimeOffset expiresAt, string? model, JsonElement? session)
{
    /// <summary>What every ephemeral key begins with, and what tells a handshake to look its key up among the minted ones.</summary>
    public const string Prefix = "ek_";

    /// <summary><c>ek_</c> and 32 lowercase hex digits: the bearer of this string may open sessions.</summary>
    public string Value { get; } = value;

    /// <summary>The first moment the key no longer opens a session (a whole second: the <c>expires_at</c> the client was told).</summary>
    public DateTimeOffset ExpiresAt { get; } = expiresAt;

    /// <summary>The secret's <c>session.model</c>, which the sessions it opens use whatever the URL's <c>?model=</c> says; null if it named none.</summary>
    public string? Model { get; } = model;

    /// <summary>The secret's <c>session</c> object as the client sent it (checked when minted), applied when each of its sessions starts; null if none.</summary>
    public JsonElement? Session { get; } = session;
}
