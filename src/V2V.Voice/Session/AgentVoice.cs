using System.Diagnostics;
using V2V.Frames;
using V2V.Realtime.Protocol.ServerEvents;
using V2V.Voice.Diagnostics;
using V2V.Voice.Outputs;
using V2V.Voice.Playback;
using V2V.Voice.Transcripts;
using V2V.Voice.Turns;

namespace V2V.Voice.Session;

/// <summary>
/// The agent's voice from audio delta to reader: only output of live responses counts, cut into frames of the output
/// rate and duration, then paced by the playout queue (with the words queued behind it, see
/// <see cref="SpokenTranscript"/>) or written for the reader at once (unpaced). Either way "played" is what the reader
/// took out of the session's outputs (<see cref="TransportHandoff"/>). Owns the frame cutter and the playout queue.
/// </summary>
internal sealed class AgentVoice
{
    private readonly SessionContext _context;
    private readonly TurnTracker _turns;
    private readonly FirstAudioTimer _firstAudio;
    private readonly AudioDump? _dump;
    private readonly OutputFrameCutter _cutter;
    private readonly PlayoutQueue? _playout;
    private readonly TransportHandoff _handoff;
    private readonly List<PcmFrame> _frames = [];
    private readonly AnswerProgress? _answers;
    private string? _beganResponse;
    private string? _heardResponse;

    // answers: told once the listener hears a response's first audio, then a word of it (null in tests of the voice alone).
    public AgentVoice(SessionContext context, TurnTracker turns, FirstAudioTimer firstAudio, AudioDump? dump, TransportHandoff handoff, AnswerProgress? answers = null)
    {
        _answers = answers;
        _handoff = handoff;
        _context = context;
        _turns = turns;
        _firstAudio = firstAudio;
        _dump = dump;
        _cutter = new OutputFrameCutter(context.Options.OutputSampleRate, context.Options.OutputFrameDuration);
        if (context.Options.PaceOutput)
        {
            _playout = new PlayoutQueue(context.Outputs, handoff, context.Metrics, context.Options.OutputFrameDuration, context.Options.MaxQueuedOutput, context.Options.OutputPacingInterval);
        }
    }

    /// <summary>Paced output: words wait in the playout queue behind the audio.</summary>
    public bool IsPaced => _playout is not null;

    /// <summary>Audio not yet played: waiting in the playout queue, or written and not yet taken by the reader.</summary>
    public bool Unplayed => _playout?.Count > 0 || _handoff.InFlight;

    /// <summary>How long what waits in the playout queue takes to play (zero unpaced: the reader plays it at its own pace).</summary>
    public TimeSpan QueuedDuration => _playout is { Count: var frames } ? _context.Options.OutputFrameDuration * frames : TimeSpan.Zero;

    /// <summary>Pacing starts (the session is started) or stops (it is disposed).</summary>
    public void Pace(bool on)
    {
        if (_playout is null)
        {
            return;
        }
        var pacer = AudioPacer.For(_context.Options.OutputPacingInterval);
        if (on)
        {
            pacer.Add(_playout);
        }
        else
        {
            pacer.Remove(_playout);
        }
    }

    public async ValueTask OnDeltaAsync(ResponseOutputAudioDeltaEvent audio, CancellationToken ct)
    {
        if (!_turns.IsLive(audio.ResponseId) || !_context.Options.AudioOut)
        {
            var cancelled = _turns.IsCancelled(audio.ResponseId);
            if (cancelled && _context.Options.AudioOut)
            {
                _turns.OnLateAudio(audio.ItemId, audio.ContentIndex, audio.ResponseId);
            }
            _context.Metrics.FramesDropped.Add(1, new KeyValuePair<string, object?>("reason", cancelled ? "cancelled_response" : "unknown_response"));
            return;
        }
        _dump?.WriteOutput(audio.Audio.Span);
        var ms = audio.Audio.Length / 48.0; // pcm16 at 24 kHz: 48 bytes per ms
        _turns.OnAudioReceived(audio.ItemId, audio.ContentIndex, audio.ResponseId, ms);
        _frames.Clear();
        _cutter.Add(audio.ItemId, audio.Audio.Span, _frames);
        await DeliverFramesAsync(ct).ConfigureAwait(false);
        TellIfHeard(audio.ResponseId);
        V2V.Realtime.Diagnostics.RealtimeProbe.OutputReady(audio.ReceivedTimestamp);
        if (_firstAudio.TryTake(Stopwatch.GetTimestamp(), out var latency))
        {
            _context.Metrics.TimeToFirstAudio.Record(latency / 1000);
            await _context.EmitAsync(new FirstAudioOutput(latency, audio.ItemId), ct).ConfigureAwait(false);
        }
    }

    /// <summary>The item's audio is complete: the last partial frame goes out.</summary>
    public ValueTask FinishAsync(CancellationToken ct)
    {
        _frames.Clear();
        _cutter.Finish(_frames);
        return DeliverFramesAsync(ct);
    }

    /// <summary>
    /// A barge-in: the queued voice and words are dropped, and what the reader has not taken is stale (the caller
    /// writes the flush next); what was heard, and the turn being spoken when paced.
    /// </summary>
    public (string? ItemId, double PlayedMs, int Dropped, SpokenTurn? CutTurn) Clear()
    {
        var heard = _playout?.Clear() ?? Unpaced(_handoff.Interrupt(null, null));
        _cutter.Reset();
        return heard;
    }

    /// <summary>Paced output: a piece of the agent's words, released once the audio queued before it is played.</summary>
    public void EnqueueText(TranscriptOutput piece, SpokenTurn turn, int textEnd) => _playout!.EnqueueText(piece, turn, textEnd);

    /// <summary>Paced output: a turn the listener heard to its end.</summary>
    public bool TryTakeHeardTurn(out SpokenTurn turn) => _handoff.TryTakeHeardTurn(out turn);

    /// <summary>
    /// Told once per response, at the first delta after each (within a delta or two of it): the listener began to hear
    /// the answer once the reader took audio of one of its items, and heard it once the reader took a word of it (paced;
    /// unpaced, the reader is given the words as they come: at once). A word heard lets the question's audio go early; a
    /// breath of the first syllable does not, so an answer cut right there is asked for again.
    /// </summary>
    private void TellIfHeard(string responseId)
    {
        if (_answers is null || _heardResponse == responseId || _handoff.LastTakenItem is not { } taken || _turns.ResponseOf(taken) != responseId)
        {
            return;
        }
        if (_beganResponse != responseId)
        {
            _beganResponse = responseId;
            _answers.BeganToHear(responseId);
        }
        if (!IsPaced || (_handoff.LastItemWithAWordTaken is { } worded && _turns.ResponseOf(worded) == responseId))
        {
            _heardResponse = responseId;
            _answers.Listened(responseId);
        }
    }

    /// <summary>Hands the frames just cut to the playout queue (paced) or straight to the reader (unpaced).</summary>
    private async ValueTask DeliverFramesAsync(CancellationToken ct)
    {
        if (_frames.Count == 0)
        {
            return;
        }
        if (_playout is not null)
        {
            _playout.Enqueue(_frames);
            return;
        }
        foreach (var frame in _frames)
        {
            // Read before handing it on: the reader owns (and may dispose) the frame once it is written.
            var (item, endMs) = (frame.ItemId, frame.ItemEndMs);
            await _context.EmitAsync(frame, ct).ConfigureAwait(false);
            _handoff.AudioWritten(item, endMs);
        }
    }

    private static (string? ItemId, double PlayedMs, int Dropped, SpokenTurn? CutTurn) Unpaced((string? ItemId, double PlayedMs, SpokenTurn? CutTurn) heard) =>
        (heard.ItemId, heard.PlayedMs, 0, heard.CutTurn);
}
