using Microsoft.Extensions.Logging;
using V2V.Graph.BuiltIns;
using V2V.Playground.Sessions;
using V2V.Ten;
using V2V.Ten.Messages;

namespace V2V.Playground.Telephony;

/// <summary>
/// <c>twilio_rtc</c>: one phone call in the place of TEN's RTC extension (<c>agora_rtc</c>), so a TEN app's graph
/// answers the phone with its connections unchanged (<see cref="AppCallGraph"/>). One node both ways, as the RTC
/// extension is: the caller side (<see cref="MicExtension"/>) sends the caller's voice, keys and Twilio's marks; the
/// call side (<see cref="CallExtension"/>) sends what comes in to Twilio (<c>pcm_frame</c>, <c>flush</c>) and logs the
/// transcript, from <c>text_data</c> or from the message collector's <c>data</c>, put back together.
/// </summary>
internal sealed partial class PhoneRtc(MicExtension caller, CallExtension call) : Ten.Extension
{
    public const string AddonName = "twilio_rtc";

    private static readonly Lazy<TenManifest> Manifest = new(() => BrowserAddons.Load("phone_rtc.manifest.json", AddonName));

    private readonly CollectorChunks _chunks = new();
    private long _badData;

    /// <summary>An addon that hands out this call's node (a graph instantiates each node once).</summary>
    public ExtensionAddon Addon() => new(AddonName, Manifest.Value, [], () => this);

    public override Task OnStartAsync(ITenEnv env, CancellationToken cancellationToken) => caller.OnStartAsync(env, cancellationToken);

    public override ValueTask OnAudioFrameAsync(ITenEnv env, AudioFrame frame, CancellationToken cancellationToken) =>
        call.OnAudioFrameAsync(env, frame, cancellationToken);

    public override Task<CmdResult> OnCmdAsync(ITenEnv env, Cmd cmd, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cmd);
        // TEN's RTC extension takes flush; anything else is answered OK, as ten_ai_base does.
        return cmd.Name == "flush" ? call.OnCmdAsync(env, cmd, cancellationToken) : Task.FromResult(CmdResult.Ok());
    }

    /// <summary>The collector's chunks become transcript lines in the log; a malformed one is counted and logged once, never fatal.</summary>
    public override ValueTask OnDataAsync(ITenEnv env, DataMessage data, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(env);
        ArgumentNullException.ThrowIfNull(data);
        if (data.Name != "data")
        {
            return call.OnDataAsync(env, data, cancellationToken);
        }
        try
        {
            var chunk = data.GetString("data") ?? throw new FormatException("the data message has no string property 'data'.");
            if (_chunks.Add(chunk) is { } message && CollectorTranscript.IsFinal(message))
            {
                call.LogFinal(CollectorTranscript.RoleOf(message), CollectorTranscript.Text(message, "text"), interrupted: false);
            }
        }
        catch (Exception ex) when (ex is FormatException or System.Text.Json.JsonException)
        {
            if (Interlocked.Increment(ref _badData) == 1)
            {
                LogBadData(env.Logger, env.Name, ex.Message);
            }
        }
        return ValueTask.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Extension}: a data message is not a collector chunk (later ones are counted, not logged): {Reason}")]
    private static partial void LogBadData(ILogger logger, string extension, string reason);
}
