namespace V2V.Realtime.Client;

/// <summary>
/// A request of the realtime API's REST side (such as making a client secret) was refused or got no answer. The
/// message names the URL, the HTTP status and what the service said, with anything that looks like a key masked.
/// </summary>
public sealed class RealtimeRequestException : RealtimeException
{
    /// <summary>Creates the exception.</summary>
    public RealtimeRequestException(string message, string endpoint, int? statusCode, Exception? innerException = null)
        : base(message, innerException)
    {
        Endpoint = endpoint;
        StatusCode = statusCode;
    }

    /// <summary>The URL of the request.</summary>
    public string Endpoint { get; }

    /// <summary>The HTTP status of the refusal; null when no answer came.</summary>
    public int? StatusCode { get; }

    /// <summary>Why the service refused, in its words (<c>error.message</c>), keys masked; null when it said nothing.</summary>
    public string? Reason { get; init; }

    /// <summary>The service's error code (e.g. <c>invalid_api_key</c>), when it sent one.</summary>
    public string? ErrorCode { get; init; }

    /// <summary>The request field the service refused (e.g. <c>expires_after.seconds</c>), when it said one.</summary>
    public string? Param { get; init; }

    /// <summary>Whether the same request may succeed later: no answer, 408, 429 or 5xx.</summary>
    public bool IsTransient => StatusCode is null or 408 or 429 or >= 500;
}
