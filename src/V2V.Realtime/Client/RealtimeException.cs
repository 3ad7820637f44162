namespace V2V.Realtime.Client;

/// <summary>A failure of the realtime connection. Messages never carry the API key.</summary>
public class RealtimeException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RealtimeException(string message, Exception? innerException = null) : base(message, innerException) { }
}

/// <summary>A setting of <see cref="RealtimeClientOptions"/> is wrong; <see cref="PropertyName"/> names it (in the words of the extension's properties).</summary>
public sealed class RealtimeConfigurationException : RealtimeException
{
    /// <summary>Creates the exception for the setting <paramref name="propertyName"/>.</summary>
    public RealtimeConfigurationException(string propertyName, string message) : base(message) => PropertyName = propertyName;

    /// <summary>The setting at fault, e.g. <c>base_uri</c>.</summary>
    public string PropertyName { get; }
}

/// <summary>The WebSocket handshake failed: the server answered with an HTTP status other than 101, or could not be reached.</summary>
public class RealtimeHandshakeException : RealtimeException
{
    /// <summary>Creates the exception.</summary>
    public RealtimeHandshakeException(string message, string endpoint, int? statusCode, Exception? innerException = null)
        : base(message, innerException)
    {
        Endpoint = endpoint;
        StatusCode = statusCode;
    }

    /// <summary>The URL that was tried, with secrets in its query replaced by <c>***</c>.</summary>
    public string Endpoint { get; }

    /// <summary>The HTTP status of the refusal, or null when no HTTP answer came.</summary>
    public int? StatusCode { get; }
}

/// <summary>The server refused the credentials (HTTP 401 or 403). Retrying with the same key will not help.</summary>
public sealed class RealtimeAuthenticationException : RealtimeHandshakeException
{
    /// <summary>Creates the exception.</summary>
    public RealtimeAuthenticationException(string message, string endpoint, int statusCode, Exception? innerException = null)
        : base(message, endpoint, statusCode, innerException) { }
}

/// <summary>The connection was lost (no close handshake) while reading or sending.</summary>
public sealed class RealtimeConnectionLostException : RealtimeException
{
    /// <summary>Creates the exception.</summary>
    public RealtimeConnectionLostException(string message, Exception? innerException = null) : base(message, innerException) { }
}
