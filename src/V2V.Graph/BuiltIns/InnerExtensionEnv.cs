using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using V2V.Ten;
using V2V.Ten.Messages;

namespace V2V.Graph.BuiltIns;

/// <summary>
/// The environment of an extension run inside another (a built-in composed of built-ins, such as <c>wav_rtc</c> of
/// the WAV source and sink): everything goes to the outer extension's environment (its name, logger and routes), but
/// the inner extension reads its own properties, picked from the outer one's.
/// </summary>
internal sealed class InnerExtensionEnv(ITenEnv outer, JsonObject properties) : ITenEnv
{
    public string Name => outer.Name;

    public JsonObject Properties { get; } = properties;

    public ILogger Logger => outer.Logger;

    public Task<CmdResult> SendCmdAsync(Cmd cmd, CancellationToken cancellationToken = default) => outer.SendCmdAsync(cmd, cancellationToken);

    public IAsyncEnumerable<CmdResult> SendCmdExAsync(Cmd cmd, CancellationToken cancellationToken = default) => outer.SendCmdExAsync(cmd, cancellationToken);

    public ValueTask SendDataAsync(DataMessage data, CancellationToken cancellationToken = default) => outer.SendDataAsync(data, cancellationToken);

    public ValueTask SendAudioFrameAsync(AudioFrame frame, CancellationToken cancellationToken = default) => outer.SendAudioFrameAsync(frame, cancellationToken);

    public ValueTask SendVideoFrameAsync(VideoFrame frame, CancellationToken cancellationToken = default) => outer.SendVideoFrameAsync(frame, cancellationToken);

    /// <summary>The outer properties named in <paramref name="renames"/> (outer name to inner name), those that are set.</summary>
    public static JsonObject Pick(JsonObject outer, IReadOnlyDictionary<string, string> renames)
    {
        var picked = new JsonObject();
        foreach (var (from, to) in renames)
        {
            if (outer[from] is { } value)
            {
                picked[to] = value.DeepClone();
            }
        }
        return picked;
    }
}
