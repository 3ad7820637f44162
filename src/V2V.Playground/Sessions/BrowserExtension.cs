using V2V.Ten;
using V2V.Ten.Messages;

namespace V2V.Playground.Sessions;

/// <summary>
/// <c>playground_browser</c>: one browser tab as a node of the session's graph. Into the graph: the microphone as
/// <c>pcm_frame</c> (pcm16 mono at the page's rate), typed text as <c>text_data</c>, and <c>on_user_joined</c> /
/// <c>on_user_left</c>. Out to the page: the agent's <c>pcm_frame</c>s as binary messages, <c>text_data</c>,
/// <c>session_event</c> and <c>error</c> as JSON events, and the <c>flush</c> cmd as a <c>flush</c> event that overtakes
/// the audio still queued (which is dropped here too).
/// </summary>
internal sealed class BrowserExtension(PageWriter page) : Ten.Extension
{
    private readonly TaskCompletionSource<ITenEnv> _env = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _micFrames;

    /// <summary>Microphone frames sent into the graph.</summary>
    public long MicFrames => Interlocked.Read(ref _micFrames);

    public override Task OnStartAsync(ITenEnv env, CancellationToken cancellationToken)
    {
        _env.TrySetResult(env);
        return Task.CompletedTask;
    }

    public override Task OnStopAsync(ITenEnv env, CancellationToken cancellationToken)
    {
        _env.TrySetCanceled(CancellationToken.None);
        return Task.CompletedTask;
    }

    /// <summary>Sends a microphone frame into the graph (waits when the agent's queue is full: back-pressure to the socket).</summary>
    public async ValueTask SendMicAsync(byte[] pcm16, int sampleRate, CancellationToken cancellationToken)
    {
        var env = await _env.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        await env.SendAudioFrameAsync(new AudioFrame("pcm_frame", pcm16, sampleRate, 1), cancellationToken).ConfigureAwait(false);
        Interlocked.Increment(ref _micFrames);
    }

    /// <summary>Sends text the user typed, as <c>text_data</c>.</summary>
    public async ValueTask SendTextAsync(string text, CancellationToken cancellationToken)
    {
        var env = await _env.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        var data = new DataMessage("text_data");
        data.Set("text", text).Set("is_final", true);
        await env.SendDataAsync(data, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends a command without properties (<c>on_user_joined</c>, <c>on_user_left</c>, <c>flush</c>) and returns its result.</summary>
    public async Task<CmdResult> SendCmdAsync(string name, CancellationToken cancellationToken)
    {
        var env = await _env.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        return await env.SendCmdAsync(new Cmd(name), cancellationToken).ConfigureAwait(false);
    }

    public override ValueTask OnAudioFrameAsync(ITenEnv env, AudioFrame frame, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(frame);
        page.SendAudio(frame.Buffer);
        return ValueTask.CompletedTask;
    }

    public override ValueTask OnDataAsync(ITenEnv env, DataMessage data, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(data);
        return data.Name switch
        {
            "text_data" => page.SendJsonAsync(PageMessages.Transcript(data), cancellationToken),
            "session_event" => page.SendJsonAsync(PageMessages.Event(data), cancellationToken),
            "error" => page.SendJsonAsync(PageMessages.Error(data.GetString("message") ?? "error", data.GetString("code"), data.GetBool("fatal") ?? false), cancellationToken),
            _ => ValueTask.CompletedTask,
        };
    }

    public override async Task<CmdResult> OnCmdAsync(ITenEnv env, Cmd cmd, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cmd);
        if (cmd.Name != "flush")
        {
            return await base.OnCmdAsync(env, cmd, cancellationToken).ConfigureAwait(false);
        }
        // Barge-in: what this node still holds is stale; the page drops what it holds when the event arrives.
        var dropped = page.FlushAudio();
        await page.SendJsonAsync(PageMessages.Flush(dropped), cancellationToken).ConfigureAwait(false);
        return CmdResult.Ok();
    }
}
