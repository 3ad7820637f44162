using Microsoft.Extensions.Logging;
using V2V.Playground.Sessions;
using V2V.Ten;
using V2V.Ten.Messages;

namespace V2V.Playground.Telephony;

/// <summary>
/// <c>twilio_call</c>: what one phone call receives from its graph. The agent's <c>pcm_frame</c>s (8 kHz, 20 ms) go to
/// the <see cref="CallWriter"/> as media messages; <c>flush</c> (barge-in) becomes Twilio's <c>clear</c>, and frames of
/// the interrupted item still on their way are dropped here; the transcript (<c>text_data</c>) and errors are logged
/// (a phone has no screen).
/// </summary>
internal sealed partial class CallExtension(CallWriter writer, string callId, ILogger logger) : Ten.Extension
{
    private readonly StaleAfterFlush _stale = new();

    /// <summary>Frames of an interrupted answer that arrived after its flush and were dropped.</summary>
    public long StaleFrames => _stale.Dropped;

    public override ValueTask OnAudioFrameAsync(ITenEnv env, AudioFrame frame, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(frame);
        if (!_stale.Admit(frame))
        {
            return ValueTask.CompletedTask;
        }
        writer.SendAudio(frame.Frame); // the writer owns the frame now
        return ValueTask.CompletedTask;
    }

    public override ValueTask OnDataAsync(ITenEnv env, DataMessage data, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(data);
        switch (data.Name)
        {
            case "text_data" when data.GetBool("is_final") == true || data.GetBool("end_of_segment") == true:
                LogFinal(data.GetString("role") ?? "?", data.GetString("text") ?? "", data.GetBool("interrupted") == true);
                break;
            case "error":
                LogAgentError(logger, callId, data.GetString("message") ?? "error");
                break;
        }
        return ValueTask.CompletedTask;
    }

    public override async Task<CmdResult> OnCmdAsync(ITenEnv env, Cmd cmd, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cmd);
        if (cmd.Name != "flush")
        {
            return await base.OnCmdAsync(env, cmd, cancellationToken).ConfigureAwait(false);
        }
        _stale.Flushed();
        var dropped = writer.Clear();
        LogCleared(logger, callId, dropped);
        return CmdResult.Ok();
    }

    /// <summary>Logs a finished line of the transcript (from <c>text_data</c>, or a TEN app's message collector).</summary>
    public void LogFinal(string role, string text, bool interrupted) =>
        LogTranscript(logger, callId, role, text, interrupted ? " (interrupted)" : "");

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {Call}: {Role}: {Text}{Interrupted}")]
    private static partial void LogTranscript(ILogger logger, string call, string role, string text, string interrupted);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {Call}: the agent reports: {Message}")]
    private static partial void LogAgentError(ILogger logger, string call, string message);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Call {Call}: barge-in, clear sent ({Dropped} frames not sent).")]
    private static partial void LogCleared(ILogger logger, string call, int dropped);
}
