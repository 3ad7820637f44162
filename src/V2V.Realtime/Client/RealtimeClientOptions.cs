using Microsoft.Extensions.Logging;
using V2V.Realtime.Protocol;

namespace V2V.Realtime.Client;

/// <summary>Settings of a <see cref="RealtimeClient"/>. Validated when connecting, with errors that name the setting.</summary>
public sealed class RealtimeClientOptions
{
    /// <summary>The default endpoint of OpenAI.</summary>
    public static readonly Uri OpenAIBaseUri = new("wss://api.openai.com");

    /// <summary>The API key: sent as <c>Authorization: Bearer</c> (OpenAI) or <c>api-key</c> (Azure); never logged. Optional for loopback servers.</summary>
    public string? ApiKey { get; set; }

    /// <summary>
    /// The server: <c>wss://api.openai.com</c> (default), <c>wss://NAME.openai.azure.com</c>, or a loopback
    /// <c>ws://127.0.0.1:PORT</c>. <c>https://</c> is read as <c>wss://</c>. Plain <c>ws://</c> is refused for
    /// anything but loopback. A base URI with a path of its own is used whole when <see cref="Path"/> is not set.
    /// </summary>
    public Uri? BaseUri { get; set; }

    /// <summary>The path and query: <c>/v1/realtime</c> (default), or for Azure e.g. <c>/openai/realtime?api-version=2024-10-01-preview&amp;deployment=NAME</c>.</summary>
    public string? Path { get; set; }

    /// <summary>OpenAI (default) or Azure.</summary>
    public RealtimeVendor Vendor { get; set; }

    /// <summary>The model, added to the query as <c>model=</c> unless the path names a model or deployment already.</summary>
    public string? Model { get; set; }

    /// <summary>The protocol dialect to speak: GA (default) or beta (header <c>OpenAI-Beta: realtime=v1</c>).</summary>
    public RealtimeDialect Dialect { get; set; } = RealtimeDialect.GA;

    /// <summary>How long the WebSocket handshake may take.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// The largest server message accepted, in bytes. A larger one is skipped and reported as a
    /// <see cref="MalformedServerEvent"/>, and the stream goes on. Default 16 MiB (OpenAI's own limit on appends is 15 MiB).
    /// </summary>
    public int MaxMessageBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>
    /// How many messages may wait for the socket. When full, <see cref="RealtimeClient.SendAsync"/> waits
    /// (back-pressure, nothing dropped here; the voice session above decides what audio to drop).
    /// </summary>
    public int SendQueueCapacity { get; set; } = 256;

    /// <summary>The WebSocket keep-alive (ping) interval.</summary>
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Logging; nothing is logged when null. The API key never appears in a log line.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }
}
