using System.Text.Json.Nodes;

namespace V2V.Realtime.Client;

/// <summary>
/// What a client secret (an ephemeral key) is made for: how long it can open sessions, and the session those start
/// with. See <see cref="RealtimeClient.CreateClientSecretAsync"/>.
/// </summary>
public sealed class RealtimeClientSecretOptions
{
    /// <summary>The shortest lifetime the service takes.</summary>
    public static readonly TimeSpan MinExpiresAfter = TimeSpan.FromSeconds(10);

    /// <summary>The longest lifetime the service takes.</summary>
    public static readonly TimeSpan MaxExpiresAfter = TimeSpan.FromHours(2);

    /// <summary>
    /// How long after its creation the key can open sessions: 10 s to 2 h, whole seconds; null takes the service's
    /// default (10 minutes). A session opened before then goes on after it; a reconnect after it needs a new key.
    /// </summary>
    public TimeSpan? ExpiresAfter { get; set; }

    /// <summary>
    /// The GA session the key's connections start with (<c>instructions</c>, <c>audio</c>, <c>tools</c>, ...), as a
    /// <c>session.update</c>'s <c>session</c> object; <c>type</c> <c>realtime</c> is added when missing, and the
    /// client's <see cref="RealtimeClientOptions.Model"/> as <c>model</c> when it names none. Null: the service's
    /// defaults and the client's model. A client holding the key can still change the session with <c>session.update</c>.
    /// </summary>
    public JsonObject? Session { get; set; }
}
