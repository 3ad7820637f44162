using V2V.Simulator.Audio;
using V2V.Simulator.Protocol;
using V2V.Simulator.Vad;

namespace V2V.Simulator.Turns;

/// <summary>
/// The input audio buffer and what is decided on it: server VAD's speech start and stop, the idle timeout, and
/// the manual commit and clear. It sends nothing: each call returns what happened (a <see cref="TurnEvent"/>, a
/// <see cref="TurnCommit"/>), and the session tells the client. Positions are session time in 24 kHz samples
/// ("all audio written to the buffer during the session"), which is what <c>audio_start_ms</c> counts.
/// </summary>
internal sealed class TurnDetector
{
    /// <summary>A commit of less audio is refused (<c>input_audio_buffer_commit_empty</c>).</summary>
    public const int MinCommitMs = 100;

    private readonly InputAudioBuffer _buffer = new();
    private readonly EnergyVad _vad = new();

    /// <summary>The item the speech in progress will become (null when none is in progress).</summary>
    private string? _speechItemId;

    private long _speechStartSample;

    /// <summary>Where idle time counts from: the end of the last speech or of the last answer's playback; null once it timed out.</summary>
    private long? _idleFromSample = 0;

    /// <summary>Session time just past the last sample appended.</summary>
    public long EndSample => _buffer.EndSample;

    /// <summary>How much audio a manual commit would take now.</summary>
    public double BufferedMs => _buffer.Count / (double)Pcm.SamplesPerMs;

    public void Append(ReadOnlySpan<short> samples) => _buffer.Append(samples);

    /// <summary>
    /// Runs server VAD over the audio appended since the last call. Lazy on purpose: each event's state change is
    /// made as it is taken, so what the session does with one (a barge-in moves the idle clock, see
    /// <see cref="ListenerHeardUntil"/>) comes before the next one's, as when the session did it all inline.
    /// </summary>
    public IEnumerable<TurnEvent> DetectTurns(TurnDetectionSettings settings)
    {
        // The detector reads every whole frame now, before any commit below discards audio.
        foreach (var vad in _vad.Process(settings, _buffer.Slice, _buffer.StartSample, _buffer.EndSample))
        {
            if (vad.Started)
            {
                _speechItemId = EventIds.Item();
                _speechStartSample = vad.Sample;
                yield return new SpeechStarted(vad.Sample, _speechItemId);
            }
            else if (_speechItemId is { } itemId)
            {
                _speechItemId = null;
                _idleFromSample = vad.Sample;
                yield return new SpeechStopped(vad.Sample, Take(_speechStartSample, vad.Sample, itemId));
            }
        }
    }

    /// <summary>
    /// After an append's turns: the idle timeout when it is due (no speech in progress, no response active, and
    /// <c>idle_timeout_ms</c> since the idle clock started); the silence is committed. Else, between turns, the
    /// buffer keeps only what could still become the prefix of the next turn.
    /// </summary>
    public IdleTimedOut? CheckIdle(TurnDetectionSettings settings, bool responseActive)
    {
        if (_vad.InSpeech)
        {
            return null;
        }

        if (settings.IdleTimeoutMs is { } idleMs && !responseActive
            && _idleFromSample is { } idleFrom && EndSample - idleFrom >= idleMs * (long)Pcm.SamplesPerMs)
        {
            _idleFromSample = null;
            var end = EndSample;
            var commit = Take(Math.Max(idleFrom, _buffer.StartSample), end, EventIds.Item());
            _vad.Reset(EndSample);
            return new IdleTimedOut(idleFrom, end, commit);
        }

        _buffer.DiscardBefore(EndSample - ((settings.PrefixPaddingMs + EnergyVad.FrameMs + EnergyVad.MinSpeechMs) * (long)Pcm.SamplesPerMs));
        return null;
    }

    /// <summary>
    /// <c>input_audio_buffer.commit</c>: the whole buffer as one turn (the item of the speech in progress, if any),
    /// or null when it holds under <see cref="MinCommitMs"/>.
    /// </summary>
    public TurnCommit? Commit()
    {
        if (BufferedMs < MinCommitMs)
        {
            return null;
        }

        var itemId = _speechItemId ?? EventIds.Item();
        _speechItemId = null;
        var commit = Take(_buffer.StartSample, EndSample, itemId);
        _vad.Reset(EndSample);
        return commit;
    }

    /// <summary><c>input_audio_buffer.clear</c>: the audio and any speech in progress are forgotten.</summary>
    public void Clear()
    {
        _buffer.Clear();
        RestartDetection();
    }

    /// <summary>Detection starts afresh from the audio that arrives next (turn detection was switched on or off).</summary>
    public void RestartDetection()
    {
        _vad.Reset(EndSample);
        _speechItemId = null;
    }

    /// <summary>A response ended: idle time counts again from when the listener will have heard all of its audio.</summary>
    public void ListenerHeardUntil(long sample) => _idleFromSample = Math.Max(EndSample, sample);

    private TurnCommit Take(long fromSample, long toSample, string itemId)
    {
        var audio = _buffer.Slice(fromSample, toSample);
        _buffer.DiscardBefore(toSample);
        return new TurnCommit(itemId, audio);
    }
}
