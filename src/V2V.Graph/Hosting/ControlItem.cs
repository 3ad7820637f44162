using V2V.Ten.Messages;

namespace V2V.Graph.Hosting;

/// <summary>What goes through an actor's control queue: a command to handle, or a lifecycle step.</summary>
internal enum ControlKind
{
    Cmd,
    Start,
    Stop,
    Deinit,
}

/// <summary>An entry of the control queue and the promise of its outcome (the command result, or the lifecycle step done).</summary>
internal sealed class ControlItem(ControlKind kind, Cmd? cmd = null)
{
    public ControlKind Kind { get; } = kind;

    public Cmd? Cmd { get; } = cmd;

    // Continuations run asynchronously so that completing a result never runs the sender's code on this actor's loop.
    public TaskCompletionSource<CmdResult> Outcome { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
