using Microsoft.Extensions.Logging;

namespace V2V.Realtime.Client;

/// <summary>
/// The client's log messages (source-generated, structured). None of them takes a header or a key. What the caller
/// is told anyway (a failed handshake as the exception it gets, a lost connection as the end of its events) is logged
/// at Information: the caller knows what it means and reports it at its own level, once (a session's failed start is
/// one warning, not one per attempt as well).
/// </summary>
internal static partial class RealtimeLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Connecting to {Endpoint} ({Dialect} dialect)")]
    public static partial void Connecting(ILogger logger, string endpoint, string dialect);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Connected to {Endpoint} in {ElapsedMs:F0} ms")]
    public static partial void Connected(ILogger logger, string endpoint, double elapsedMs);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Handshake with {Endpoint} failed: HTTP {StatusCode}: {Reason}")]
    public static partial void HandshakeFailed(ILogger logger, string endpoint, int statusCode, string? reason);

    [LoggerMessage(EventId = 12, Level = LogLevel.Information, Message = "Handshake failed, no HTTP answer: {Failure}")]
    public static partial void NoHttpAnswer(ILogger logger, string failure);

    [LoggerMessage(EventId = 4, Level = LogLevel.Trace, Message = "Sent {Type} {EventId} ({Bytes} bytes)")]
    public static partial void Sent(ILogger logger, string type, string? eventId, int bytes);

    [LoggerMessage(EventId = 5, Level = LogLevel.Trace, Message = "Received {Type} ({Bytes} bytes)")]
    public static partial void Received(ILogger logger, string type, int bytes);

    [LoggerMessage(EventId = 6, Level = LogLevel.Warning, Message = "Malformed server message ({Bytes} bytes): {Reason}")]
    public static partial void Malformed(ILogger logger, int bytes, string reason);

    [LoggerMessage(EventId = 7, Message = "Server error {ErrorType}/{Code}: {ErrorMessage} (param {Param}, event {ClientEventId})")]
    public static partial void ServerError(ILogger logger, LogLevel level, string? errorType, string? code, string? errorMessage, string? param, string? clientEventId);

    /// <summary>
    /// How loud a server error is: a Warning, except a cancel that came after its response had ended. Every barge-in
    /// near an answer's end can lose that race (the service's answers run ahead of what is heard), so it says nothing
    /// is wrong; logged as a Warning it would be noise on every other interruption.
    /// </summary>
    public static LogLevel ServerErrorLevel(string? code) => code is "response_cancel_not_active" ? LogLevel.Debug : LogLevel.Warning;

    [LoggerMessage(EventId = 8, Level = LogLevel.Information, Message = "Server closed the connection: {Status} {Description}")]
    public static partial void ServerClosed(ILogger logger, string? status, string? description);

    [LoggerMessage(EventId = 9, Level = LogLevel.Information, Message = "Connection lost: {Reason}")]
    public static partial void ConnectionLost(ILogger logger, string reason);

    [LoggerMessage(EventId = 10, Level = LogLevel.Debug, Message = "Unknown server event {Type}")]
    public static partial void Unknown(ILogger logger, string type);

    [LoggerMessage(EventId = 11, Level = LogLevel.Warning, Message = "{Endpoint} is Azure OpenAI's preview realtime endpoint, deprecated since 2026-04-30 (it speaks the beta protocol; this client speaks {Dialect}). Move to the GA endpoint: leave Path empty, set Model to the deployment and Dialect to GA (wss://RESOURCE.openai.azure.com/openai/v1/realtime?model=DEPLOYMENT).")]
    public static partial void AzurePreviewDeprecated(ILogger logger, string endpoint, string dialect);
}
