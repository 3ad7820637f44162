using System.Runtime.InteropServices;
using V2V.Audio;
using V2V.Realtime.Client;
using V2V.Realtime.Protocol;
using V2V.Realtime.Protocol.ClientEvents;
using V2V.Realtime.Protocol.ServerEvents;
using V2V.Voice.Diagnostics;
using V2V.Voice.Input;

namespace V2V.Voice.Connection;

/// <summary>
/// The connection the input producer sends on, and the audio it keeps while there is none: the last
/// <c>keep</c> of it (bounded; older audio is dropped and counted), sent first, oldest first, on the next connection.
/// With <paramref name="openTurn"/>, the user's turn the live connection holds unanswered is sent again on a new
/// connection before that audio, so the new connection hears the whole turn. With <paramref name="loudDbfs"/> (the
/// service detects turns), the audio kept is measured as it goes out: how much of it was louder than that level.
/// </summary>
internal sealed class LiveClientSlot(TimeSpan keep, int sampleRate, VoiceMetrics metrics, OpenTurnAudio? openTurn = null, double? loudDbfs = null)
{
    // Pieces of a replayed turn: a few messages per second of it, each far below any message limit.
    private const int ReplayPieceMs = 200;

    private readonly object _gate = new();
    private readonly Queue<short[]> _buffer = new();
    private long _bufferedSamples;
    private volatile IRealtimeConnection? _client;
    private IRealtimeConnection? _countedClient;
    private long _sentSamples;

    /// <summary>The live connection, or null while connecting, reconnecting or switching.</summary>
    public IRealtimeConnection? Client => _client;

    /// <summary>
    /// Ms of input audio sent on the live connection: the server's input buffer clock, which starts at 0 on each new
    /// connection (its <c>audio_end_ms</c> is read against this, never against the audio of the whole session).
    /// </summary>
    public double SentMs => Interlocked.Read(ref _sentSamples) * 1000.0 / sampleRate;

    /// <summary>Ms of the user's audio kept for a new connection (the open turn, or the stretch before one); diagnostics and tests.</summary>
    public double OpenTurnKeptMs => openTurn?.KeptMs ?? 0;

    /// <summary>The producer sent <paramref name="samples"/> on the live connection.</summary>
    public void CountSent(int samples) => Interlocked.Add(ref _sentSamples, samples);

    /// <summary>The producer sent <paramref name="chunk"/> on the live connection: counted, and kept while it may belong to an open turn.</summary>
    public void CountSent(ReadOnlySpan<short> chunk)
    {
        openTurn?.Append(chunk);
        CountSent(chunk.Length);
    }

    /// <summary>The local VAD heard speech begin, <paramref name="msBack"/> before what was sent last: the user's turn opens there.</summary>
    public void SpeechStartedHere(double msBack) => openTurn?.SpeechStartedHere(msBack);

    /// <summary>The local VAD heard the speech end; <paramref name="turnKept"/>: its turn is committed (else too short to be).</summary>
    public void SpeechEndedHere(bool turnKept) => openTurn?.SpeechEndedHere(turnKept);

    /// <summary>The user left: their turns are over, answered or not (see <see cref="OpenTurnAudio.UserLeft"/>).</summary>
    public void UserLeft() => openTurn?.UserLeft();

    /// <summary>
    /// This side sent a commit (manual turns, local VAD): what was sent before is no longer an open turn. Its
    /// acknowledgement may have been read already (OpenTurnAudio numbers the turn with it then).
    /// </summary>
    public void Committed() => openTurn?.CommittedHere();

    /// <summary>
    /// The session took <c>response.created</c> of the live connection: the turns committed before it are answered
    /// and not to be sent again. Called on the session's actor, which drops a replaced connection's events.
    /// </summary>
    public void Answered(string responseId) => openTurn?.Answered(responseId);

    /// <summary>The unheard answer of the open turn is asked for again on the live connection: the next answer taken answers that turn.</summary>
    public void AskedAgain() => openTurn?.AskedAgain();

    /// <summary>The user heard some of the answer <paramref name="responseId"/>: the turns it answers are not sent again.</summary>
    public void Heard(string responseId) => openTurn?.Heard(responseId);

    /// <summary>
    /// A server event of <paramref name="from"/>, read before the session handles it: the speech starts that open the
    /// user's turn, the commits, and the answers seen (which close it only once the session takes them,
    /// <see cref="Answered"/>). Only the live connection's count: after a switch began, an old connection's answer
    /// will not be heard (its events are stale), so its turn stays open and is sent again.
    /// </summary>
    public void Note(IRealtimeConnection from, RealtimeServerEvent serverEvent)
    {
        if (openTurn is null || !ReferenceEquals(_client, from))
        {
            return;
        }
        switch (serverEvent)
        {
            case InputAudioBufferSpeechStartedEvent started:
                openTurn.SpeechStarted(started.AudioStartMs);
                break;
            case InputAudioBufferCommittedEvent:
                openTurn.ServiceCommitted();
                break;
            case ErrorEvent { Error.Code: "input_audio_buffer_commit_empty" }:
                openTurn.CommitRefused();
                break;
            case ResponseCreatedEvent { Response.Id: { } responseId }:
                openTurn.ResponseSeen(responseId);
                break;
        }
    }

    /// <summary>Keeps a chunk when there is no open connection; false when there is one (send on it).</summary>
    public bool TryBuffer(ReadOnlySpan<short> chunk)
    {
        var limit = (long)(keep.TotalSeconds * sampleRate);
        lock (_gate)
        {
            if (_client is { IsOpen: true })
            {
                return false;
            }
            _buffer.Enqueue(chunk.ToArray());
            _bufferedSamples += chunk.Length;
            while (_bufferedSamples > limit && _buffer.Count > 0)
            {
                _bufferedSamples -= _buffer.Dequeue().Length;
                metrics.FramesDropped.Add(1, new KeyValuePair<string, object?>("reason", "disconnected"));
            }
            return true;
        }
    }

    /// <summary>No live connection from now on: the producer buffers until <see cref="SendBufferedThenGoLiveAsync"/>.</summary>
    public IRealtimeConnection? Detach()
    {
        lock (_gate)
        {
            var client = _client;
            _client = null;
            return client;
        }
    }

    /// <summary>Detaches <paramref name="client"/> if it is the live one (a successor that went live meanwhile stays).</summary>
    public void Detach(IRealtimeConnection client)
    {
        lock (_gate)
        {
            if (ReferenceEquals(_client, client))
            {
                _client = null;
            }
        }
    }

    /// <summary>
    /// On a new connection, first the open user turn the old one held unanswered (see <see cref="OpenTurnAudio"/>);
    /// then the audio kept meanwhile, oldest first; then makes <paramref name="client"/> the live one. The producer
    /// keeps buffering until then, so no audio overtakes older audio. Returns the turn sent again (empty when none).
    /// </summary>
    public async Task<ReplayedTurn> SendBufferedThenGoLiveAsync(IRealtimeConnection client, CancellationToken ct)
    {
        // What a failure here must give back, so that the old connection resumed (a renewal whose new one failed) goes on
        // as if this had not been tried: its clock, its open turn and what the service said of it, and every chunk kept
        // meanwhile.
        var countedBefore = _countedClient;
        var sentBefore = Interlocked.Read(ref _sentSamples);
        var taken = new List<short[]>();
        OpenTurnAudio.Saved? turnBefore = null;
        try
        {
            var replayed = ReplayedTurn.None;
            long loudSamples = 0;
            // A new connection's clock starts at 0; the old one resumed goes on counting, and still holds its turn.
            if (!ReferenceEquals(countedBefore, client))
            {
                Interlocked.Exchange(ref _sentSamples, 0);
                if (openTurn is not null)
                {
                    turnBefore = openTurn.Save();
                    replayed = await SendTurnAsync(client, openTurn.Restart(), ct).ConfigureAwait(false);
                }
            }
            while (true)
            {
                short[][] batch;
                lock (_gate)
                {
                    if (_buffer.Count == 0)
                    {
                        _client = client;
                        _countedClient = client;
                        return replayed with { KeptLoudMs = loudSamples * 1000.0 / sampleRate };
                    }
                    batch = [.. _buffer];
                    _buffer.Clear();
                    _bufferedSamples = 0;
                }
                taken.AddRange(batch);
                foreach (var chunk in batch)
                {
                    await client.SendAudioAsync(MemoryMarshal.AsBytes(chunk.AsSpan()).ToArray(), ct).ConfigureAwait(false);
                    CountSent(chunk);
                    if (loudDbfs is { } loud && Pcm16Level.Dbfs(chunk) > loud)
                    {
                        loudSamples += chunk.Length;
                    }
                }
            }
        }
        catch
        {
            lock (_gate)
            {
                // Every chunk taken for the failed connection goes back (what it was sent is lost with it), first, before
                // what was kept since.
                taken.AddRange(_buffer);
                _buffer.Clear();
                _bufferedSamples = 0;
                foreach (var chunk in taken)
                {
                    _buffer.Enqueue(chunk);
                    _bufferedSamples += chunk.Length;
                }
            }
            Interlocked.Exchange(ref _sentSamples, sentBefore);
            if (turnBefore is not null)
            {
                openTurn!.Restore(turnBefore); // the old connection's turns, on its clock
            }
            throw;
        }
    }

    /// <summary>
    /// Sends the replayed turn: a part the old connection had committed (turns ended on this side whose answer was not
    /// heard) is committed again after it, as it was there, so that the user's later words stay a turn of their own.
    /// </summary>
    private async Task<ReplayedTurn> SendTurnAsync(IRealtimeConnection client, ReplayedTurn replayed, CancellationToken ct)
    {
        var committed = replayed.CommittedSamples >= UncommittedInput.MinCommitSamples ? replayed.CommittedSamples : 0;
        await SendAsync(client, replayed.Audio.AsMemory(0, committed), ct).ConfigureAwait(false);
        if (committed > 0)
        {
            // Noted before it goes (this connection's events are read only once it is live, so no acknowledgement comes
            // first); a send that fails fails the connection, and its caller puts the old connection's turns back.
            openTurn?.ReplayedPartCommitted();
            await client.SendAsync(new InputAudioBufferCommitEvent(), ct).ConfigureAwait(false);
        }
        await SendAsync(client, replayed.Audio.AsMemory(committed), ct).ConfigureAwait(false);
        return replayed with { CommittedSamples = committed };
    }

    /// <summary>Sends replayed audio in pieces, each counted (and kept again: the turn is open on the new connection too).</summary>
    private async Task SendAsync(IRealtimeConnection client, ReadOnlyMemory<short> audio, CancellationToken ct)
    {
        var piece = sampleRate * ReplayPieceMs / 1000;
        for (var at = 0; at < audio.Length; at += piece)
        {
            var length = Math.Min(piece, audio.Length - at);
            // The samples are copied into the message before this returns.
            await client.SendAudioAsync(audio.Span.Slice(at, length), ct).ConfigureAwait(false);
            CountSent(audio.Span.Slice(at, length));
        }
    }
}
