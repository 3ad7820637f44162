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
    /// result naming it; when it goes to several destinations, the first error or else the last result is returned.
    /// </summary>
    Task<CmdResult> SendCmdAsync(Cmd cmd, CancellationToken cancellationToken = default);

    /// <summary>Sends data along the graph (no route: counted and logged once).</summary>
    ValueTask SendDataAsync(DataMessage data, CancellationToken cancellationToken = default);

    /// <summary>Sends an audio frame along the graph.</summary>
    ValueTask SendAudioFrameAsync(AudioFrame frame, CancellationToken cancellationToken = default);
}
