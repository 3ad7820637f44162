using V2V.Realtime.Client;

namespace V2V.Voice.Connection;

/// <summary>
/// How a live connection ended: the error of the read (a drop), or the server's close status and reason, with the
/// last <c>error</c> event it sent before, since the services say why in an error and then close.
/// </summary>
internal sealed record ConnectionEnd(Exception? Error, int? CloseStatus, string? CloseDescription, string? LastErrorCode, string? LastErrorMessage)
{
    /// <summary>The end, in words, for logs and the user's error.</summary>
    public string Describe()
    {
        var how = Error?.Message ?? $"closed by the server ({CloseStatus?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "no status"} {CloseDescription})".TrimEnd();
        return LastErrorCode is null ? how : $"{how}; the service said {LastErrorCode}: {LastErrorMessage}";
    }
}

/// <summary>A connection ended before it had been healthy long enough: a failed attempt of the reconnect pipeline.</summary>
internal sealed class ConnectionEndedException(ConnectionEnd end) : RealtimeException($"The realtime connection ended: {end.Describe()}", end.Error)
{
    public ConnectionEnd End { get; } = end;
}
