using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;
using V2V.Realtime.Protocol;
using V2V.Voice.Actor;
using V2V.Voice.Outputs;
using V2V.Voice.Playback;
using V2V.Voice.Session;

namespace V2V.Voice.Tests.Support;

/// <summary>
/// What a session's stage is built with, without a server: the client events it sends are recorded, its outputs
/// kept (read as the transport reads them, through <see cref="Handoff"/>), its metrics measured on a meter of the rig's
/// own, and the work it posts to the actor is run when the test says so.
/// </summary>
internal sealed class StageRig
{
    private readonly List<RealtimeClientEvent> _sent = [];
    private readonly Channel<VoiceSessionOutput> _outputs = Channel.CreateUnbounded<VoiceSessionOutput>();

    public StageRig(Action<VoiceSessionOptions>? configure = null)
    {
        var options = new VoiceSessionOptions { PaceOutput = false };
        configure?.Invoke(options);
        Context = new SessionContext(options, NullLogger.Instance, Meters.Metrics, _outputs.Writer, RecordAsync, TestContext.Current.CancellationToken);
        Handoff = new TransportHandoff(_outputs.Reader, Meters.Metrics);
        Inbox = new SessionInbox(NullLogger.Instance, TestContext.Current.CancellationToken);
    }

    public SessionContext Context { get; }

    /// <summary>The outputs as the transport takes them: what it took counts as played.</summary>
    public TransportHandoff Handoff { get; }

    /// <summary>The rig's meter: what its stages measured, and only that.</summary>
    public OwnMeters Meters { get; } = new();

    public SessionInbox Inbox { get; }

    /// <summary>The client events sent so far, of type <typeparamref name="T"/>.</summary>
    public List<T> Sent<T>()
    {
        lock (_sent)
        {
            return [.. _sent.OfType<T>()];
        }
    }

    /// <summary>The outputs given since the last call (at most <paramref name="most"/>), taken as a transport takes them.</summary>
    public List<VoiceSessionEvent> TakeOutputs(int most = int.MaxValue)
    {
        var outputs = new List<VoiceSessionEvent>();
        while (outputs.Count < most && Handoff.TryRead(out var output))
        {
            outputs.Add(HeardAudio.Take(output));
        }
        return outputs;
    }

    /// <summary>Waits (generously) for the next work posted to the actor and runs it, as the actor would.</summary>
    public async Task RunNextPostedAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        var (done, work) = await Inbox.TakeAsync(ct).AsTask().WaitAsync(TimeSpan.FromSeconds(60), ct);
        Assert.False(done);
        await Assert.IsType<ActionWork>(work).Action(ct);
    }

    private ValueTask RecordAsync(RealtimeClientEvent clientEvent, CancellationToken ct)
    {
        lock (_sent)
        {
            _sent.Add(clientEvent);
        }
        return ValueTask.CompletedTask;
    }
}
