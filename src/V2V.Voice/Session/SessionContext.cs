using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using V2V.Realtime.Protocol;
using V2V.Voice.Diagnostics;
using V2V.Voice.Outputs;

namespace V2V.Voice.Session;

/// <summary>
/// The few collaborators most stages of a session need: its options, logger and metrics, the writer of its outputs, the way
/// to send a client event on the live connection, and its lifetime. It holds no state of its own.
/// </summary>
internal sealed record SessionContext(
    VoiceSessionOptions Options,
    ILogger Logger,
    VoiceMetrics Metrics,
    ChannelWriter<VoiceSessionOutput> Outputs,
    Func<RealtimeClientEvent, CancellationToken, ValueTask> Send,
    CancellationToken Lifetime)
{
    /// <summary>Gives an output to the reader, waiting while the reader is behind.</summary>
    public ValueTask EmitAsync(VoiceSessionOutput output, CancellationToken ct) =>
        Outputs.TryWrite(output) ? ValueTask.CompletedTask : Outputs.WriteAsync(output, ct);

    /// <summary>Sends a client event on the live connection; while disconnected it is dropped (a reconnect configures anew).</summary>
    public ValueTask SendAsync(RealtimeClientEvent clientEvent, CancellationToken ct) => Send(clientEvent, ct);
}
