using System.Diagnostics;
using V2V.Audio;
using V2V.Realtime.Client;
using V2V.Realtime.Protocol.ClientEvents;
using V2V.Voice.Actor;
using V2V.Voice.Conversation;
using V2V.Voice.Diagnostics;
using V2V.Voice.Outputs;
using V2V.Voice.Session;

namespace V2V.Voice.Input;

/// <summary>
/// The user's audio from the producer to the socket, on the producer's thread: through the <see cref="InputAudioPath"/>
/// (resample, chunk, local VAD) to the live connection, or to the reconnect buffer while there is none; what went to
/// the live connection is kept while it may belong to the user's open turn, which a new connection is sent again
/// (<see cref="OpenTurnAudio"/>, in the slot). Turn ends on
/// this side (manual, local VAD) commit what was sent; local VAD boundaries become control-lane work. Owns the input
/// path and the sends in flight; what is uncommitted is counted by <see cref="UncommittedInput"/>, through which the
/// session's work commits too.
/// </summary>
internal sealed class InputStage : IDisposable
{
    private readonly SessionContext _context;
    private readonly ServerLink _link;
    private readonly SessionInbox _inbox;
    private readonly ConversationFlow _conversation;
    private readonly AudioDump? _dump;
    private readonly InputAudioPath _path;
    private readonly Action<ReadOnlyMemory<short>> _sendChunk;
    private readonly UncommittedInput _uncommitted;

    // Sends of appends that could not complete at once (the socket queue was full); awaited before the producer returns.
    private readonly List<Task> _pendingSends = [];
    private int _producing;

    public InputStage(SessionContext context, ServerLink link, SessionInbox inbox, ConversationFlow conversation, UncommittedInput uncommitted, AudioDump? dump)
    {
        _context = context;
        _uncommitted = uncommitted;
        _link = link;
        _inbox = inbox;
        _conversation = conversation;
        _dump = dump;
        _sendChunk = SendChunk;
        var options = context.Options;
        _path = new InputAudioPath(
            options.InputChunkMs,
            // Only the server's turn detection needs the end of a turn sent at once; our own commits flush what is gathered.
            options.TurnMode is TurnMode.ServerVad or TurnMode.SemanticVad ? options.InputQuietDbfs : InputAudioPath.MinQuietDbfs,
            options.TurnMode == TurnMode.ServerVad ? options.VadSilenceDurationMs : null,
            options.TurnMode == TurnMode.LocalVad ? LocalVad.CreateDetector(options.VadSilenceDurationMs) : null);
    }

    /// <summary>Ms of input the live connection has been sent (its buffer clock), for mapping speech_stopped to wall time.</summary>
    public double InputMs => _link.Connection.Slot.SentMs;

    /// <summary>A frame of the user's audio (checked by the caller), and what local VAD heard in it.</summary>
    /// <remarks>Not an async method: nearly every frame is sent at once and has no VAD boundary, so it needs no state machine.</remarks>
    public ValueTask SendAsync(ReadOnlyMemory<byte> pcm16, int sampleRate, int channels, CancellationToken ct)
    {
        try
        {
            EnterProducer();
        }
        catch (InvalidOperationException ex)
        {
            return ValueTask.FromException(ex); // another producer's call is in progress: its flag stays set
        }
        try
        {
            _path.Push(pcm16.Span, sampleRate, channels, _sendChunk);
        }
        catch (Exception ex)
        {
            Volatile.Write(ref _producing, 0);
            return ValueTask.FromException(ex);
        }
        if (_pendingSends.Count == 0 && _path.VadEvents.Count == 0)
        {
            Volatile.Write(ref _producing, 0);
            return ValueTask.CompletedTask;
        }
        return FinishSendAsync(ct);
    }

    // The rest of a frame's sending, the producer still entered: sends the socket could not take at once, and the
    // local VAD's boundaries.
    private async ValueTask FinishSendAsync(CancellationToken ct)
    {
        try
        {
            await DrainPendingSendsAsync().ConfigureAwait(false);
            // By index: a foreach over the interface would box the list's enumerator, an allocation per frame.
            var vadEvents = _path.VadEvents;
            for (var i = 0; i < vadEvents.Count; i++)
            {
                var vadEvent = vadEvents[i];
                var started = vadEvent.Kind == VoiceActivityEventKind.SpeechStarted;
                var slot = _link.Connection.Slot;
                if (started)
                {
                    // The turn a new connection would be sent again opens where the speech began (at once: a renewal may
                    // come next): the detector decided it this much later, and a padding before it, as the server's keeps one.
                    slot.SpeechStartedHere((vadEvent.DetectedAt - vadEvent.Position).TotalMilliseconds + _context.Options.VadPrefixPaddingMs);
                }
                else
                {
                    slot.SpeechEndedHere(turnKept: true); // before the commit: the silence after it is no turn
                }
                var boundary = new UserSpeechOutput(started, vadEvent.Position.TotalMilliseconds);
                await _inbox.PostAsync(innerCt => _context.EmitAsync(boundary, innerCt), "local VAD boundary").ConfigureAwait(false);
                if (started)
                {
                    await _inbox.PostAsync(_conversation.UserBeganSpeakingAsync, "local VAD heard speech").ConfigureAwait(false);
                }
                else if (!await CommitTurnAsync(ct).ConfigureAwait(false))
                {
                    slot.SpeechEndedHere(turnKept: false);
                    await _inbox.PostAsync(_conversation.UserTurnDroppedAsync, "local VAD turn too short to commit").ConfigureAwait(false);
                }
            }
        }
        finally
        {
            Volatile.Write(ref _producing, 0);
        }
    }

    /// <summary>Ends the user's turn from this side (committed now, or on the next connection); false when too little audio was sent to commit.</summary>
    public async ValueTask<bool> EndTurnAsync(CancellationToken ct)
    {
        EnterProducer();
        try
        {
            return await CommitTurnAsync(ct).ConfigureAwait(false);
        }
        finally
        {
            Volatile.Write(ref _producing, 0);
        }
    }

    public void Dispose() => _path.Dispose();

    /// <summary>
    /// Commits what was sent, and asks for a response (on the actor). False when too little is uncommitted: a turn too
    /// short, or one whose audio went with the commit of a turn before it, made when the connection came back. With no
    /// connection, the new one is sent the open turn (all since the last commit) before it goes live, and the session's
    /// work waits for that: the commit, queued now, goes to it then.
    /// </summary>
    private async ValueTask<bool> CommitTurnAsync(CancellationToken ct)
    {
        _path.FlushPartial(_sendChunk);
        await DrainPendingSendsAsync().ConfigureAwait(false);
        var client = _link.Live;
        if (client is null || !client.IsOpen)
        {
            if (!_uncommitted.EnoughToCommit)
            {
                return false;
            }
            await _inbox.PostAsync(_conversation.CommitTurnWhenLiveAsync, "turn ended while disconnected").ConfigureAwait(false);
            return true;
        }
        var endOfSpeech = Stopwatch.GetTimestamp();
        try
        {
            if (!await _uncommitted.CommitAsync(client, ct).ConfigureAwait(false))
            {
                return false;
            }
        }
        catch (RealtimeException)
        {
            // The connection broke under the commit: as for a turn ended while disconnected, the next one commits it.
            await _inbox.PostAsync(_conversation.CommitTurnWhenLiveAsync, "turn ended as the connection broke").ConfigureAwait(false);
            return true;
        }
        _link.Connection.Slot.Committed();
        await _inbox.PostAsync(innerCt => _conversation.AnswerTurnAsync(endOfSpeech, innerCt), "turn ended").ConfigureAwait(false);
        return true;
    }

    /// <summary>One 24 kHz chunk of the user's audio to the server, or to the reconnect buffer.</summary>
    private void SendChunk(ReadOnlyMemory<short> chunk)
    {
        _dump?.WriteInput(chunk.Span);
        var slot = _link.Connection.Slot;
        var client = slot.Client;
        if (client is null || !client.IsOpen)
        {
            if (slot.TryBuffer(chunk.Span))
            {
                _uncommitted.Kept(chunk.Length);
                return;
            }
            client = slot.Client!;
        }
        try
        {
            // The bytes are copied into a pooled message before this returns, so the chunk can be reused.
            var send = _uncommitted.Append(client, chunk.Span, _context.Lifetime);
            slot.CountSent(chunk.Span);
            if (!send.IsCompletedSuccessfully)
            {
                _pendingSends.Add(send.AsTask());
            }
        }
        catch (RealtimeException)
        {
            if (slot.TryBuffer(chunk.Span))
            {
                _uncommitted.Kept(chunk.Length);
            }
        }
    }

    private async ValueTask DrainPendingSendsAsync()
    {
        if (_pendingSends.Count == 0)
        {
            return;
        }
        try
        {
            await Task.WhenAll(_pendingSends).ConfigureAwait(false);
        }
        catch (RealtimeException)
        {
            // The connection broke under the send: the reader reconnects; this audio is lost and counted there.
        }
        finally
        {
            _pendingSends.Clear();
        }
    }

    private void EnterProducer()
    {
        if (Interlocked.Exchange(ref _producing, 1) == 1)
        {
            throw new InvalidOperationException("Audio and turn ends must come from one producer at a time; another call is in progress.");
        }
    }
}
