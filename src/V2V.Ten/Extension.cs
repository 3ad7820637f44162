using V2V.Ten.Messages;

namespace V2V.Ten;

/// <summary>
/// An extension, as in TEN: a node of the graph with a lifecycle (init, start, stop, deinit) and handlers for
/// commands, data and audio frames. The host calls the handlers of one extension one at a time, commands
/// ahead of queued data and frames; every command gets a result.
/// </summary>
public abstract class Extension
{
    /// <summary>Called once, before start: read and check properties here.</summary>
    public virtual Task OnInitAsync(ITenEnv env, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Called when the graph starts.</summary>
    public virtual Task OnStartAsync(ITenEnv env, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Called when the graph stops: cancel in-flight work and close connections.</summary>
    public virtual Task OnStopAsync(ITenEnv env, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Called once, last.</summary>
    public virtual Task OnDeinitAsync(ITenEnv env, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Handles a command; the default answers an error naming the unsupported command.</summary>
    public virtual Task<CmdResult> OnCmdAsync(ITenEnv env, Cmd cmd, CancellationToken cancellationToken) =>
        Task.FromResult(CmdResult.Error($"{env.Name} does not handle the command '{cmd.Name}'."));

    /// <summary>Handles a data message; the default ignores it.</summary>
    public virtual ValueTask OnDataAsync(ITenEnv env, DataMessage data, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>Handles an audio frame; the default ignores it.</summary>
    public virtual ValueTask OnAudioFrameAsync(ITenEnv env, AudioFrame frame, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>
    /// Handles a video frame. The default ignores it, and a host may not even deliver frames to an extension that
    /// does not override this (the graph host drops them with a debug log).
    /// </summary>
    public virtual ValueTask OnVideoFrameAsync(ITenEnv env, VideoFrame frame, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
