namespace V2V.Ten.Messages;

/// <summary>Whether a command succeeded.</summary>
public enum StatusCode
{
    /// <summary>Done.</summary>
    Ok = 0,

    /// <summary>Failed; <see cref="CmdResult.Detail"/> says why.</summary>
    Error = 1,
}

/// <summary>The answer to a <see cref="Cmd"/>: a status, a detail text, and properties (e.g. <c>response</c> of a tool call).</summary>
public sealed class CmdResult : TenMessage
{
    private CmdResult(StatusCode status, string? detail) : base("cmd_result")
    {
        Status = status;
        Detail = detail;
    }

    /// <summary>The status.</summary>
    public StatusCode Status { get; }

    /// <summary>What went wrong (errors) or a short note (OK).</summary>
    public string? Detail { get; }

    /// <summary>Success, with an optional detail.</summary>
    public static CmdResult Ok(string? detail = null) => new(StatusCode.Ok, detail);

    /// <summary>
    /// True when no extension handled the command: its destination was not running (it failed to start, or has
    /// stopped). That destination's own failure is reported where it happened; a sender for which the command was a
    /// courtesy (a tool registering itself) need not report it a second time.
    /// </summary>
    public bool Undelivered { get; private init; }

    /// <summary>Failure, with the reason.</summary>
    public static CmdResult Error(string detail) => new(StatusCode.Error, detail);

    /// <summary>Failure because the destination was not running to handle it (<see cref="Undelivered"/>), with the reason.</summary>
    public static CmdResult NotDelivered(string detail) => new(StatusCode.Error, detail) { Undelivered = true };
}
