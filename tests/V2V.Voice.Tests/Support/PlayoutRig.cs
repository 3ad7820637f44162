using System.Threading.Channels;
using V2V.Voice.Outputs;
using V2V.Voice.Playback;

namespace V2V.Voice.Tests.Support;

/// <summary>
/// A playout queue wired as a session wires one: it writes to an output channel, the transport's handoff reads that
/// channel, and both count on meters of their own. Released by hand (<see cref="PlayoutQueue.Release"/>) unless a test
/// adds the queue to a pacer.
/// </summary>
internal sealed class PlayoutRig : IDisposable
{
    /// <param name="frame">The queue's frame duration.</param>
    /// <param name="releaseAhead">How far ahead of its time a frame is released (a pacer's tick; zero: at its time).</param>
    /// <param name="reportsPlayed">The transport says what was played, instead of "played" meaning taken.</param>
    /// <param name="output">The output channel, when a test needs one of its own kind (else unbounded).</param>
    public PlayoutRig(TimeSpan frame, TimeSpan releaseAhead = default, bool reportsPlayed = false, Channel<VoiceSessionOutput>? output = null)
    {
        Output = output ?? Channel.CreateUnbounded<VoiceSessionOutput>();
        Handoff = new TransportHandoff(Output.Reader, Meters.Metrics, reportsPlayed);
        Queue = new PlayoutQueue(Output.Writer, Handoff, Meters.Metrics, frame, TimeSpan.FromSeconds(60), releaseAhead);
    }

    public OwnMeters Meters { get; } = new();

    public Channel<VoiceSessionOutput> Output { get; }

    public TransportHandoff Handoff { get; }

    public PlayoutQueue Queue { get; }

    public void Dispose() => Meters.Dispose();
}
