using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using V2V.Realtime.Protocol;

namespace V2V.Realtime.Client;

/// <summary>
/// A realtime endpoint (OpenAI, Azure OpenAI, the local realtime server) and how to reach it: built once from
/// <see cref="RealtimeClientOptions"/>, it opens as many connections as asked (<see cref="ConnectAsync"/>), e.g. one
/// per conversation, and a new one after a drop or for a session's renewal. The options are checked when the client
/// is built, so a configuration that cannot work fails before any socket is opened.
/// </summary>
/// <remarks>
/// As the clients of openai-dotnet, this class can be derived from for tests: the protected constructor builds a
/// client with no endpoint, and <see cref="ConnectAsync"/> may return any <see cref="IRealtimeConnection"/>.
/// </remarks>
public class RealtimeClient
{
    /// <summary>OpenAI's limit on the audio of one append.</summary>
    public const int MaxAudioBytesPerAppend = 15 * 1024 * 1024;

    private readonly RealtimeClientOptions? _options;
    private readonly RealtimeEndpoint? _endpoint;
    private readonly ILogger _logger = NullLogger.Instance;

    /// <summary>
    /// Builds the client. Throws <see cref="RealtimeConfigurationException"/> (naming the option in
    /// <see cref="RealtimeConfigurationException.Option"/>) for settings that cannot work; logs a warning for
    /// Azure OpenAI's deprecated preview endpoint. The options are read now and not watched afterwards.
    /// </summary>
    public RealtimeClient(RealtimeClientOptions options)
        : this(options, fallbackLoggerFactory: null)
    {
    }

    /// <summary>
    /// The client of a session that owns it: it logs where <paramref name="fallbackLoggerFactory"/> does when its
    /// options have no logging of their own (the options stay the caller's object, untouched).
    /// </summary>
    internal RealtimeClient(RealtimeClientOptions options, ILoggerFactory? fallbackLoggerFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.MaxMessageBytes < 1024)
        {
            throw new RealtimeConfigurationException(nameof(options.MaxMessageBytes), $"MaxMessageBytes must be at least 1024 (got {options.MaxMessageBytes}).");
        }
        if (options.SendQueueCapacity < 1)
        {
            throw new RealtimeConfigurationException(nameof(options.SendQueueCapacity), $"SendQueueCapacity must be at least 1 (got {options.SendQueueCapacity}).");
        }
        if (options.ConnectTimeout <= TimeSpan.Zero)
        {
            throw new RealtimeConfigurationException(nameof(options.ConnectTimeout), $"ConnectTimeout must be positive (got {options.ConnectTimeout}).");
        }
        _endpoint = RealtimeEndpoint.Create(options);
        _options = options;
        _logger = (options.LoggerFactory ?? fallbackLoggerFactory)?.CreateLogger<RealtimeClient>() ?? (ILogger)NullLogger.Instance;
        if (_endpoint.IsAzurePreview)
        {
            RealtimeLog.AzurePreviewDeprecated(_logger, _endpoint.DisplayUrl, options.Dialect.ToString());
        }
    }

    /// <summary>For test doubles: a client with no endpoint, whose <see cref="ConnectAsync"/> a derived class provides.</summary>
    protected RealtimeClient()
    {
    }

    /// <summary>The endpoint connected to (URL and handshake headers); null for a test double.</summary>
    public RealtimeEndpoint? Endpoint => _endpoint;

    /// <summary>The dialect the connections speak.</summary>
    public virtual RealtimeDialect Dialect => _options?.Dialect ?? RealtimeDialect.GA;

    /// <summary>
    /// Opens a connection. Throws <see cref="RealtimeAuthenticationException"/> when the credential is refused
    /// (401/403), and <see cref="RealtimeHandshakeException"/> for other failures (with the URL, without secrets,
    /// and the HTTP status), or when the handshake takes longer than <see cref="RealtimeClientOptions.ConnectTimeout"/>.
    /// A refusal carries what the service said: its reason (keys masked), error code and <c>Retry-After</c> wait.
    /// With <see cref="RealtimeClientOptions.ApiKeyProvider"/>, a key refused is asked for again once before failing.
    /// </summary>
    public virtual async Task<IRealtimeConnection> ConnectAsync(CancellationToken cancellationToken = default)
    {
        if (_endpoint is null || _options is null)
        {
            throw new InvalidOperationException("This RealtimeClient was built without options (the constructor for test doubles); override ConnectAsync.");
        }
        try
        {
            return await RealtimeWebSocketConnection.OpenAsync(_endpoint, _options, _logger, cancellationToken).ConfigureAwait(false);
        }
        catch (RealtimeAuthenticationException) when (_options.ApiKeyProvider is not null)
        {
            // A provider's key may have expired between its making and its use (an app's server that hands out a key it
            // made a while ago): the provider is asked once more. A second refusal is the answer.
            return await RealtimeWebSocketConnection.OpenAsync(_endpoint, _options, _logger, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Makes a client secret: an ephemeral key (<c>ek_...</c>) that opens realtime sessions for a while (10 minutes
    /// unless <see cref="RealtimeClientSecretOptions.ExpiresAfter"/> says otherwise), starting with the session given.
    /// For an app's server: it hands the key to a client on a user's device or in a browser, which connects with it
    /// (<see cref="RealtimeClientOptions.ApiKeyProvider"/>) and never holds the API key. Uses this client's endpoint and
    /// credentials (<c>POST /v1/realtime/client_secrets</c>; Azure OpenAI <c>/openai/v1/realtime/client_secrets</c>).
    /// Throws <see cref="RealtimeRequestException"/> when refused or unanswered within
    /// <see cref="RealtimeClientOptions.ConnectTimeout"/> (its <see cref="RealtimeRequestException.Param"/> names a
    /// field refused), <see cref="RealtimeConfigurationException"/> where there can be none (beta, Azure's preview
    /// endpoint, a client whose key comes from a provider), <see cref="ArgumentOutOfRangeException"/> for a lifetime
    /// the service would refuse.
    /// </summary>
    public virtual Task<RealtimeClientSecret> CreateClientSecretAsync(RealtimeClientSecretOptions? secret = null, CancellationToken cancellationToken = default)
    {
        if (_endpoint is null || _options is null)
        {
            throw new InvalidOperationException("This RealtimeClient was built without options (the constructor for test doubles); override CreateClientSecretAsync.");
        }
        return ClientSecretRequest.SendAsync(_endpoint, _options, secret, cancellationToken);
    }
}
