using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using V2V.Ten.Messages;

namespace V2V.Ten;

/// <summary>
/// What an extension sees of the runtime (TEN's <c>ten_env</c>): its properties, a logger, and sending
/// messages along the graph's connections. Sending is safe from any thread.
/// </summary>
public interface ITenEnv
{
    /// <summary>The extension's instance name in the graph.</summary>
    string Name { get; }

    /// <summary>The extension's properties: property.json defaults, overlaid by the graph node's, <c>${env:NAME}</c> resolved, validated against the manifest.</summary>
    JsonObject Properties { get; }

    /// <summary>The extension's logger.</summary>
    ILogger Logger { get; }

    /// <summary>
    /// Sends a command along the graph and waits for its result. A command with no route gets an error
    /// result naming it. When it goes to several destinations, one result stands for all: the first (in the graph's
    /// order) that is OK and carries properties (an answer, e.g. the tool's), else the first error, else the first
    /// OK. So a destination that answers an empty OK for a command that is not its own (as TEN's tools do for a
    /// tool name they do not own) neither hides another's answer nor fails the call. <see cref="SendCmdExAsync"/>
    /// gives every destination's result.
    /// </summary>
    Task<CmdResult> SendCmdAsync(Cmd cmd, CancellationToken cancellationToken = default);

    /// <summary>
    /// Sends a command along the graph and yields each destination's result as it arrives (TEN's
    /// <c>send_cmd_ex</c>, result policy "each OK and error"); <see cref="Messages.TenMessage.Source"/> of a result
    /// names the extension that answered. The sequence ends after the last destination's result. The default, for
    /// environments that do not route to several destinations, yields the one result of <see cref="SendCmdAsync"/>.
    /// </summary>
    async IAsyncEnumerable<CmdResult> SendCmdExAsync(Cmd cmd, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        yield return await SendCmdAsync(cmd, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends data along the graph (no route: counted and logged once).</summary>
    ValueTask SendDataAsync(DataMessage data, CancellationToken cancellationToken = default);

    /// <summary>Sends an audio frame along the graph.</summary>
    ValueTask SendAudioFrameAsync(AudioFrame frame, CancellationToken cancellationToken = default);

    /// <summary>Sends a video frame along the graph. The default, for environments without video, drops it.</summary>
    ValueTask SendVideoFrameAsync(VideoFrame frame, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;
}
