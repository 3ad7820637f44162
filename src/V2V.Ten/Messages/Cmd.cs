namespace V2V.Ten.Messages;

/// <summary>A command: it expects exactly one <see cref="CmdResult"/> back, routed to its sender.</summary>
public sealed class Cmd : TenMessage
{
    /// <summary>Creates a command.</summary>
    public Cmd(string name) : base(name) { }

    /// <summary>A unique id, to match the result.</summary>
    public string Id { get; } = Guid.NewGuid().ToString("N");
}
