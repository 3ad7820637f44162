using V2V.Realtime.Client;
using V2V.Realtime.Protocol.ClientEvents;

namespace V2V.Voice.Input;

/// <summary>
/// How much of the user's audio the service's input buffer holds uncommitted (turns ended on this side: manual, local
/// VAD): what was sent since the last commit, and what is kept meanwhile for the next connection, which is sent it
/// before anything else. A commit is sent only when at least <see cref="MinCommitSamples"/> is there (the service
/// refuses less, <c>input_audio_buffer_commit_empty</c>), and takes all that was sent before it: a turn ended while
/// disconnected is committed once the next connection is live, by the session's work, and takes with it what the user
/// said meanwhile, so a turn ending after that finds nothing left. Counting an append and sending it, and counting down
/// to zero and sending the commit, are each one step under a lock: the producer's appends and the session's commit go
/// out on different threads, and a count read between the two halves of either would be wrong by a chunk.
/// </summary>
internal sealed class UncommittedInput
{
    /// <summary>The least the service commits: 100 ms at 24 kHz.</summary>
    public const int MinCommitSamples = 2400;

    private readonly Lock _gate = new();
    private long _samples;

    /// <summary>Sends <paramref name="chunk"/> on <paramref name="client"/> and counts it (the producer).</summary>
    public ValueTask Append(IRealtimeConnection client, ReadOnlySpan<short> chunk, CancellationToken ct)
    {
        lock (_gate)
        {
            // The samples are copied into the message before this returns; a closed connection throws, uncounted.
            var send = client.SendAudioAsync(chunk, ct);
            _samples += chunk.Length;
            return send;
        }
    }

    /// <summary><paramref name="samples"/> kept while there is no connection: the next one is sent them first.</summary>
    public void Kept(int samples)
    {
        lock (_gate)
        {
            _samples += samples;
        }
    }

    /// <summary>Whether there is enough to commit (a turn ended while disconnected: committed on the next connection).</summary>
    public bool EnoughToCommit
    {
        get
        {
            lock (_gate)
            {
                return _samples >= MinCommitSamples;
            }
        }
    }

    /// <summary>
    /// Commits on <paramref name="client"/> when enough is uncommitted; false, nothing sent, when not (a turn too short,
    /// or one whose audio went with a commit already). A commit the connection could not send (it broke: a
    /// <see cref="RealtimeException"/>) leaves its audio uncommitted, for the next connection, which is sent it again.
    /// </summary>
    public async ValueTask<bool> CommitAsync(IRealtimeConnection client, CancellationToken ct)
    {
        ValueTask sent;
        long taken;
        lock (_gate)
        {
            if (_samples < MinCommitSamples)
            {
                return false;
            }
            sent = client.SendAsync(new InputAudioBufferCommitEvent(), ct);
            taken = _samples;
            _samples = 0;
        }
        try
        {
            await sent.ConfigureAwait(false);
        }
        catch (RealtimeException)
        {
            lock (_gate)
            {
                _samples += taken;
            }
            throw;
        }
        return true;
    }

    /// <summary>The service's input buffer was cleared (the user left): nothing sent before is there to commit.</summary>
    public void Cleared()
    {
        lock (_gate)
        {
            _samples = 0;
        }
    }
}
