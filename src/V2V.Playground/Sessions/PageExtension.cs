using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using V2V.Playground.Telemetry;
using V2V.Ten;
using V2V.Ten.Messages;

namespace V2V.Playground.Sessions;

/// <summary>
/// <c>playground_page</c>: what one browser tab receives. The agent's <c>pcm_frame</c>s go to the page as binary
/// messages; <c>text_data</c>, <c>session_event</c> and <c>error</c> as JSON events; the <c>flush</c> cmd as a
/// <c>flush</c> event that overtakes the audio still queued, which is dropped here too.
/// </summary>
internal sealed class PageExtension(PageWriter page, SessionTrace trace) : Ten.Extension
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
        page.SendAudio(frame.Frame); // the page writer owns the frame now, and disposes it once sent
        return ValueTask.CompletedTask;
    }

    public override ValueTask OnDataAsync(ITenEnv env, DataMessage data, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(data);
        Trace(data);
        return data.Name switch
        {
            "text_data" => page.SendJsonAsync(PageMessages.Transcript(data), cancellationToken),
            "session_event" => page.SendJsonAsync(PageMessages.Event(data), cancellationToken),
            "error" => page.SendJsonAsync(PageMessages.Error(data.GetString("message") ?? "error", data.GetString("code"), data.GetBool("fatal") ?? false), cancellationToken),
            _ => ValueTask.CompletedTask,
        };
    }

    // The turn's span: from the end of the user's speech to the agent's closing piece.
    private void Trace(DataMessage data)
    {
        if (data.Name == "session_event")
        {
            switch (data.GetString("kind"))
            {
                case "user_speech_stopped":
                    trace.UserTurnEnded("speech");
                    break;
                case "first_audio" when data.Properties["latency_ms"] is JsonValue { } latency && latency.GetValueKind() == JsonValueKind.Number:
                    trace.FirstAudio(double.Parse(latency.ToJsonString(), CultureInfo.InvariantCulture));
                    break;
            }
        }
        else if (data.Name == "text_data" && data.GetString("role") != "user" && data.GetBool("end_of_segment") == true)
        {
            trace.AgentTurnEnded(data.GetBool("interrupted") ?? false);
        }
    }

    public override async Task<CmdResult> OnCmdAsync(ITenEnv env, Cmd cmd, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cmd);
        if (cmd.Name != "flush")
        {
            return await base.OnCmdAsync(env, cmd, cancellationToken).ConfigureAwait(false);
        }
        // Barge-in: what this node still holds is stale; the page drops what it holds when the event arrives.
        _stale.Flushed();
        var dropped = page.FlushAudio();
        await page.SendJsonAsync(PageMessages.Flush(dropped), cancellationToken).ConfigureAwait(false);
        return CmdResult.Ok();
    }
}
