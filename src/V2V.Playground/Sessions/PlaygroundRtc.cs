using Microsoft.Extensions.Logging;
using V2V.Graph.BuiltIns;
using V2V.Ten;
using V2V.Ten.Messages;

namespace V2V.Playground.Sessions;

/// <summary>
/// <c>playground_rtc</c>: a browser tab in the place of TEN's RTC extension (<c>agora_rtc</c>), so a TEN app's graph
/// runs behind the page with its connections unchanged. One node both ways, as the RTC extension is: the
/// <see cref="MicExtension"/> sends what the page sends (<c>pcm_frame</c>, <c>on_user_joined</c>, <c>on_user_left</c>),
/// the <see cref="PageExtension"/> plays what comes in (<c>pcm_frame</c>, <c>flush</c>), and the message collector's
/// <c>data</c> is put back together and shown as the page's transcript.
/// </summary>
internal sealed partial class PlaygroundRtc(MicExtension mic, PageExtension page, PageWriter writer) : Ten.Extension
{
    private readonly CollectorChunks _chunks = new();
    private readonly CollectorTranscript _transcript = new();
    private long _badData;

    public override Task OnStartAsync(ITenEnv env, CancellationToken cancellationToken) => mic.OnStartAsync(env, cancellationToken);

    public override ValueTask OnAudioFrameAsync(ITenEnv env, AudioFrame frame, CancellationToken cancellationToken) =>
        page.OnAudioFrameAsync(env, frame, cancellationToken);

    public override Task<CmdResult> OnCmdAsync(ITenEnv env, Cmd cmd, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cmd);
        // TEN's RTC extension takes flush; anything else is answered OK, as ten_ai_base does.
        return cmd.Name == "flush" ? page.OnCmdAsync(env, cmd, cancellationToken) : Task.FromResult(CmdResult.Ok());
    }

    /// <summary>The collector's chunks become transcript events; a malformed one is counted and logged once, never fatal.</summary>
    public override async ValueTask OnDataAsync(ITenEnv env, DataMessage data, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(env);
        ArgumentNullException.ThrowIfNull(data);
        if (data.Name != "data")
        {
            await page.OnDataAsync(env, data, cancellationToken).ConfigureAwait(false);
            return;
        }
        try
        {
            var chunk = data.GetString("data") ?? throw new FormatException("the data message has no string property 'data'.");
            if (_chunks.Add(chunk) is { } message && _transcript.Next(message) is { } transcript)
            {
                await writer.SendJsonAsync(transcript, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is FormatException or System.Text.Json.JsonException)
        {
            if (Interlocked.Increment(ref _badData) == 1)
            {
                LogBadData(env.Logger, env.Name, ex.Message);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Extension}: a data message is not a collector chunk (later ones are counted, not logged): {Reason}")]
    private static partial void LogBadData(ILogger logger, string extension, string reason);
}
