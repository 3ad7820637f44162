namespace V2V.Realtime.Client;

/// <summary>
/// An HTTP request to the realtime API was refused or got no answer: the WebSocket handshake
/// (<see cref="RealtimeHandshakeException"/>), or a REST call such as making a client secret. The message names the
/// URL, the HTTP status and what the service said, with anything that looks like a key masked.
/// </summary>
public class RealtimeRequestException : RealtimeException
{
    /// <summary>Creates the exception.</summary>
    public RealtimeRequestException(string message, string endpoint, int? statusCode, Exception? innerException = null)
        : base(message, innerException)
    {
        Endpoint = endpoint;
        StatusCode = statusCode;
    }

    /// <summary>The URL that was tried, with secrets in its query replaced by <c>***</c>.</summary>
    public string Endpoint { get; }

    /// <summary>The HTTP status of the refusal, or null when no HTTP answer came.</summary>
    public int? StatusCode { get; }

    /// <summary>
    /// Why the service refused, in its words: the <c>error.message</c> of its JSON body (OpenAI, Azure OpenAI), else
    /// the first line of the body; cut to a line, anything that looks like a key masked. Null when it said nothing.
    /// </summary>
    public string? Reason { get; init; }

    /// <summary>The service's error code from the body (e.g. <c>invalid_api_key</c>, <c>rate_limit_exceeded</c>), when it sent one.</summary>
    public string? ErrorCode { get; init; }

    /// <summary>The request field the service refused (e.g. <c>expires_after.seconds</c>), when it named one.</summary>
    public string? Param { get; init; }

    /// <summary>The wait the service asked for in its <c>Retry-After</c> header, when it sent one.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>Whether the same request may succeed later: no answer, 408, 429 or 5xx.</summary>
    public bool IsTransient => StatusCode is null or 408 or 429 or >= 500;
}
