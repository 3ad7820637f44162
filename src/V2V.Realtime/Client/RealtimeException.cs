namespace V2V.Realtime.Client;

/// <summary>A failure of the realtime connection. Messages never carry the API key.</summary>
public class RealtimeException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RealtimeException(string message, Exception? innerException = null) : base(message, innerException) { }
}

/// <summary>
/// A setting of <see cref="RealtimeClientOptions"/> is wrong or cannot work. Thrown before any connection is tried.
/// <see cref="Option"/> names the setting by its C# name (e.g. <c>BaseUri</c>), so a layer above with names of its
/// own (the extension's properties, the CLI's flags) can say it in its words without reading the message.
/// </summary>
public sealed class RealtimeConfigurationException : RealtimeException
{
    /// <summary>Creates the exception for the setting <paramref name="option"/> (a member name of <see cref="RealtimeClientOptions"/>).</summary>
    public RealtimeConfigurationException(string option, string message) : base(message) => Option = option;

    /// <summary>The setting at fault: the name of a member of <see cref="RealtimeClientOptions"/>, e.g. <c>BaseUri</c>.</summary>
    public string Option { get; }
}

/// <summary>The WebSocket handshake failed: the server answered with an HTTP status other than 101, or could not be reached.</summary>
public class RealtimeHandshakeException : RealtimeRequestException
{
    /// <summary>Creates the exception.</summary>
    public RealtimeHandshakeException(string message, string endpoint, int? statusCode, Exception? innerException = null)
        : base(message, endpoint, statusCode, innerException)
    {
    }

    /// <summary>The refusal in a few words for a host's own message: <c>HTTP 401: Incorrect API key provided: sk-***</c> (no final stop).</summary>
    public string StatusAndReason => $"HTTP {StatusCode}{HandshakeFailures.Said(Reason, ": ")}";

    /// <summary>
    /// How many times the connection was tried before this refusal ended the trying: 1 unless a caller that retries
    /// refusals for now (the voice session's first connection: 429, 5xx, no answer) tried again.
    /// </summary>
    public int Attempts { get; internal set; } = 1;
}

/// <summary>The server refused the credentials (HTTP 401 or 403). Retrying with the same key will not help.</summary>
public sealed class RealtimeAuthenticationException : RealtimeHandshakeException
{
    /// <summary>Creates the exception.</summary>
    public RealtimeAuthenticationException(string message, string endpoint, int statusCode, Exception? innerException = null)
        : base(message, endpoint, statusCode, innerException) { }

    /// <summary>
    /// The credential that was refused, by its C# name in <see cref="RealtimeClientOptions"/> (<c>ApiKey</c> or
    /// <c>BearerToken</c>), so a layer above can name it in its own words as it does for <see cref="RealtimeConfigurationException.Option"/>.
    /// </summary>
    public string Option { get; init; } = nameof(RealtimeClientOptions.ApiKey);
}

/// <summary>The connection was lost (no close handshake) while reading or sending.</summary>
public sealed class RealtimeConnectionLostException : RealtimeException
{
    /// <summary>Creates the exception.</summary>
    public RealtimeConnectionLostException(string message, Exception? innerException = null) : base(message, innerException) { }
}
