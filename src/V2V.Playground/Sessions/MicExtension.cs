using V2V.Frames;
using V2V.Ten;
using V2V.Ten.Messages;

namespace V2V.Playground.Sessions;

/// <summary>
/// <c>playground_mic</c>: what one browser tab sends into its graph. The session's socket reader calls it: the
/// microphone as <c>pcm_frame</c> (pcm16 mono at the page's rate), typed text as <c>text_data</c>, a phone stream's
/// played position as <c>audio_played</c>, and the commands
/// <c>on_user_joined</c>, <c>on_user_left</c>, <c>flush</c> (the page's own interrupt) and <c>mcp_approval</c> (the
/// visitor's answer to an MCP approval request).
/// </summary>
internal sealed class MicExtension : Ten.Extension
{
    private readonly TaskCompletionSource<ITenEnv> _env = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _frames;

    /// <summary>Microphone frames sent into the graph.</summary>
    public long Frames => Interlocked.Read(ref _frames);

    public override Task OnStartAsync(ITenEnv env, CancellationToken cancellationToken)
    {
        _env.TrySetResult(env);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Sends a microphone frame into the graph (waits when the agent's queue is full: back-pressure to the socket). The
    /// graph's receiver owns (and disposes) the frame; one that cannot be sent is disposed here.
    /// </summary>
    public async ValueTask SendAudioAsync(PcmFrame pcm16, CancellationToken cancellationToken)
    {
        var frame = new AudioFrame("pcm_frame", pcm16);
        try
        {
            var env = await _env.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            await env.SendAudioFrameAsync(frame, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            frame.Dispose();
            throw;
        }
        Interlocked.Increment(ref _frames);
    }

    /// <summary>Sends text the user typed, as <c>text_data</c>.</summary>
    public async ValueTask SendTextAsync(string text, CancellationToken cancellationToken)
    {
        var env = await _env.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        var data = new DataMessage("text_data");
        data.Set("text", text).Set("is_final", true);
        await env.SendDataAsync(data, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Sends <c>audio_played</c>: the far end played the agent's <paramref name="itemId"/> up to <paramref name="endMs"/>
    /// (a phone stream's echoed mark; the agent believes it with <c>played_reports</c>).
    /// </summary>
    public async ValueTask SendPlayedAsync(string itemId, double endMs, CancellationToken cancellationToken)
    {
        var env = await _env.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        var data = new DataMessage("audio_played");
        data.Set("item_id", itemId).Set("end_ms", endMs);
        await env.SendDataAsync(data, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends a command without properties (<c>on_user_joined</c>, <c>on_user_left</c>, <c>flush</c>) and returns its result.</summary>
    public Task<CmdResult> SendCmdAsync(string name, CancellationToken cancellationToken) => SendCmdAsync(new Cmd(name), cancellationToken);

    /// <summary>Sends a command (the page's <c>mcp_approval</c>, for one) and returns its result.</summary>
    public async Task<CmdResult> SendCmdAsync(Cmd cmd, CancellationToken cancellationToken)
    {
        var env = await _env.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        return await env.SendCmdAsync(cmd, cancellationToken).ConfigureAwait(false);
    }
}
