namespace V2V.Realtime.Protocol;

/// <summary>
/// A message from the server that could not be read as an event: not JSON, no <c>type</c>, a field of the
/// wrong type, a required field missing, or larger than the configured maximum. The stream goes on after it.
/// </summary>
public sealed class MalformedServerEvent : RealtimeServerEvent
{
    /// <summary>The wire type used for malformed messages; never sent by a server.</summary>
    public const string MalformedType = "v2v.malformed";

    /// <summary>Creates the report of a malformed message.</summary>
    public MalformedServerEvent(string reason, string rawText, string? declaredType = null) : base(MalformedType)
    {
        Reason = reason;
        RawText = rawText;
        DeclaredType = declaredType;
    }

    /// <summary>What is wrong with the message, e.g. the JSON error and its position.</summary>
    public string Reason { get; }

    /// <summary>The message as received (cut to its first 4 KiB for large messages).</summary>
    public string RawText { get; }

    /// <summary>The <c>type</c> the message declared, if it could be read.</summary>
    public string? DeclaredType { get; }
}
