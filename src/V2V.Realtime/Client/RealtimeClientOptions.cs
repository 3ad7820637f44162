using Microsoft.Extensions.Logging;
using V2V.Realtime.Protocol;

namespace V2V.Realtime.Client;

/// <summary>
/// Settings of a <see cref="RealtimeClient"/>, read when the client is built. Validated there, with a
/// <see cref="RealtimeConfigurationException"/> whose <see cref="RealtimeConfigurationException.Option"/> names the setting.
/// </summary>
public sealed class RealtimeClientOptions
{
    /// <summary>The default endpoint of OpenAI.</summary>
    public static readonly Uri OpenAIBaseUri = new("wss://api.openai.com");

    /// <summary>The API key: sent as <c>Authorization: Bearer</c> (OpenAI) or <c>api-key</c> (Azure); never logged. Optional for loopback servers.</summary>
    public string? ApiKey { get; set; }

    /// <summary>
    /// An access token instead of a key (e.g. a Microsoft Entra ID token for Azure OpenAI): sent as
    /// <c>Authorization: Bearer</c> whatever the vendor; never logged. Set this or <see cref="ApiKey"/>, not both.
    /// </summary>
    public string? BearerToken { get; set; }

    /// <summary>
    /// Asked for the key before each connection, instead of a fixed <see cref="ApiKey"/>: for an app on a user's
    /// device or in a browser that must not hold the API key, it fetches an ephemeral key (<c>ek_...</c>) from the
    /// app's server, which makes it with <see cref="RealtimeClient.CreateClientSecretAsync"/>. A key that expired is
    /// therefore never reused: a reconnect asks again, and so does a connection whose key is refused (once: a key may
    /// expire between its making and its use). Sent as <see cref="ApiKey"/> is; never logged. Its time counts
    /// in <see cref="ConnectTimeout"/>. An exception it throws fails that connection attempt (a caller that reconnects,
    /// such as the voice session, tries again); an empty key is refused as a missing credential. Set this, or
    /// <see cref="ApiKey"/> or <see cref="BearerToken"/>, not both.
    /// </summary>
    public Func<CancellationToken, ValueTask<string>>? ApiKeyProvider { get; set; }

    /// <summary>
    /// The server: <c>wss://api.openai.com</c> (default), the Azure OpenAI resource <c>wss://NAME.openai.azure.com</c>,
    /// or a loopback <c>ws://127.0.0.1:PORT</c>. <c>https://</c> is read as <c>wss://</c>. Plain <c>ws://</c> is refused for
    /// anything but loopback. A base URI that is the API's root (<c>.../v1</c>, <c>.../openai/v1/</c>) means its
    /// <c>/realtime</c>; one with another path of its own is used whole when <see cref="Path"/> is not set.
    /// </summary>
    public Uri? BaseUri { get; set; }

    /// <summary>
    /// The path and query, when not the vendor's default: OpenAI <c>/v1/realtime</c>, Azure <c>/openai/v1/realtime</c>
    /// (GA). Azure's deprecated preview endpoint is still accepted, with a warning:
    /// <c>/openai/realtime?api-version=...&amp;deployment=NAME</c> (beta <see cref="Dialect"/>).
    /// </summary>
    public string? Path { get; set; }

    /// <summary>OpenAI (default) or Azure OpenAI: decides the key's header and the default path.</summary>
    public RealtimeVendor Vendor { get; set; }

    /// <summary>
    /// The model (e.g. <c>gpt-realtime</c>); on Azure the name of the deployment. Added to the query as
    /// <c>model=</c> (Azure preview: <c>deployment=</c>) unless the path names one already. Required on Azure.
    /// </summary>
    public string? Model { get; set; }

    /// <summary>
    /// The protocol dialect to speak: GA (default) or beta (header <c>OpenAI-Beta: realtime=v1</c>). Beta is for
    /// Azure's preview endpoint and servers that still speak it; OpenAI retired it on 2026-05-12, so beta against
    /// api.openai.com is refused.
    /// </summary>
    public RealtimeDialect Dialect { get; set; } = RealtimeDialect.GA;

    /// <summary>How long the WebSocket handshake may take.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// The largest server message accepted, in bytes. A larger one is skipped and reported as a
    /// <see cref="MalformedServerEvent"/>, and the stream goes on. Default 16 MiB (OpenAI's own limit on appends is 15 MiB).
    /// </summary>
    public int MaxMessageBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>
    /// How many messages may wait for the socket, in each of the send queue's two lanes (audio appends; every
    /// other event, which is served first). When a lane is full, <see cref="IRealtimeConnection.SendAsync"/> waits
    /// (back-pressure, nothing dropped here; the voice session above decides what audio to drop).
    /// </summary>
    public int SendQueueCapacity { get; set; } = 256;

    /// <summary>The WebSocket keep-alive (ping) interval.</summary>
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Logging; nothing is logged when null. The API key never appears in a log line.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }
}
