using System.Diagnostics;
using System.Threading.Channels;
using V2V.Frames;
using V2V.Voice.Diagnostics;
using V2V.Voice.Outputs;

namespace V2V.Voice.Playback;

/// <summary>
/// The agent's voice waiting to be played, released one frame per frame-duration by the shared
/// <see cref="AudioPacer"/> into the session's output channel. Played is what the transport took out of that channel
/// (<see cref="TransportHandoff"/>), so the session knows, to within one frame, how much of each item the listener
/// got: the <c>audio_end_ms</c> of a truncate.
/// The agent's words wait in the same queue, each piece behind the audio that was received before it, so the
/// transcript is released in step with the voice (the service sends the text seconds ahead of it); a barge-in drops
/// the words not yet heard with the audio.
/// Bounded: beyond <c>maxQueued</c> the oldest frame is dropped and counted. When the reader of outputs is too
/// slow, frames are dropped and counted, never piled up; words wait for the reader instead (nothing of the
/// transcript is lost). The lock is held for a few list operations only.
/// Frames are owned: the queue hands each released frame to the reader as a <see cref="VoiceSessionOutput"/> (the
/// reader disposes it) and disposes every frame it drops.
/// </summary>
internal sealed class PlayoutQueue
{
    private static readonly KeyValuePair<string, object?> QueueFull = new("reason", "playout_queue_full");
    private static readonly KeyValuePair<string, object?> SlowReader = new("reason", "slow_reader");
    private readonly object _gate = new();
    private readonly Queue<Entry> _entries = new();
    private int _frameCount;
    private readonly ChannelWriter<VoiceSessionOutput> _output;
    private readonly TransportHandoff _handoff;
    private readonly VoiceMetrics _metrics;
    private readonly int _maxFrames;
    private readonly long _frameTicks;
    private long _nextDue;

    // The pacer this queue is played by (none: released by hand, as in tests), and whether it is in that pacer's tick
    // (scheduled and not yet dropped by it). Both under the lock.
    private AudioPacer? _pacer;
    private bool _inTick;

    // How far ahead of its time a frame may go (Stopwatch ticks): the pacer's tick, so a frame due before the next
    // tick goes now and the reader never waits on the tick.
    private readonly long _leadTicks;

    // releaseAhead: how far ahead of its time a frame is released, the tick of the pacer that plays the queue (zero: at
    // its time exactly, as a test releasing by hand wants).
    public PlayoutQueue(ChannelWriter<VoiceSessionOutput> output, TransportHandoff handoff, VoiceMetrics metrics, TimeSpan frameDuration, TimeSpan maxQueued, TimeSpan releaseAhead = default)
    {
        _leadTicks = (long)(releaseAhead.TotalSeconds * Stopwatch.Frequency);
        _output = output;
        _handoff = handoff;
        _metrics = metrics;
        _frameTicks = (long)(frameDuration.TotalSeconds * Stopwatch.Frequency);
        _maxFrames = Math.Max(1, (int)(maxQueued / frameDuration));
    }

    /// <summary>Frames waiting.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _frameCount;
            }
        }
    }

    /// <summary>Takes the frames (the queue owns them now); the first after a pause is due at once.</summary>
    public void Enqueue(List<PcmFrame> frames)
    {
        lock (_gate)
        {
            var now = Stopwatch.GetTimestamp();
            var wasIdle = _frameCount == 0;
            if (wasIdle)
            {
                _nextDue = Math.Max(_nextDue, now);
            }
            foreach (var frame in frames)
            {
                if (_frameCount >= _maxFrames)
                {
                    DropOldestFrame();
                    _metrics.FramesDropped.Add(1, QueueFull);
                }
                _entries.Enqueue(new Entry(frame, null));
                _frameCount++;
            }
            if (wasIdle)
            {
                // The first frame after silence is due now: it goes out at once instead of at the pacer's next
                // tick (up to a tick sooner to the listener); the pacer keeps the pace from there.
                Release(now);
            }
            ScheduleIfWaiting();
        }
    }

    /// <summary>
    /// Queues a piece of the agent's words of <paramref name="turn"/> (ending at <paramref name="textEnd"/> characters
    /// into it) behind the audio received so far: it is released when that audio has been released; at once when none waits.
    /// </summary>
    public void EnqueueText(TranscriptOutput piece, SpokenTurn turn, int textEnd)
    {
        lock (_gate)
        {
            _entries.Enqueue(new Entry(default, new SpokenPiece(piece, turn, textEnd)));
            if (_frameCount == 0)
            {
                Release(Stopwatch.GetTimestamp());
            }
            ScheduleIfWaiting();
        }
    }

    /// <summary>Played by <paramref name="pacer"/> from now on (null: by nobody); scheduled with it at once if something waits.</summary>
    internal void AttachTo(AudioPacer? pacer)
    {
        lock (_gate)
        {
            _pacer = pacer;
            ScheduleIfWaiting();
        }
    }

    /// <summary>
    /// The pacer's tick: releases what is due by <paramref name="now"/>. False when the queue leaves the tick: it is
    /// empty (it is scheduled again when something arrives), or no longer played by <paramref name="pacer"/>.
    /// </summary>
    internal bool ReleaseDue(AudioPacer pacer, long now)
    {
        lock (_gate)
        {
            if (_pacer != pacer)
            {
                _inTick = false;
                ScheduleIfWaiting(); // moved to another pacer while in this one's tick
                return false;
            }
            Release(now);
            if (_entries.Count == 0)
            {
                _inTick = false;
                return false;
            }
            return true;
        }
    }

    /// <summary>
    /// Releases every frame that is due by <paramref name="now"/> plus the queue's lead (Stopwatch ticks), and the words
    /// queued behind them (the pacer's tick, through <see cref="ReleaseDue"/>, or a test's hand).
    /// </summary>
    public void Release(long now)
    {
        lock (_gate)
        {
            var horizon = now + _leadTicks;
            while (_entries.TryPeek(out var entry))
            {
                if (entry.Text is { } text)
                {
                    if (!_output.TryWrite(text))
                    {
                        break; // the reader is behind: the words wait for it (and the audio behind them with them)
                    }
                    _entries.Dequeue();
                    _handoff.TextWritten(text.Turn);
                    continue;
                }
                if (_nextDue > horizon)
                {
                    break;
                }
                _entries.Dequeue();
                _frameCount--;
                var frame = entry.Frame;
                _nextDue += _frameTicks;
                // Read before handing it on: the reader owns (and may dispose) the frame once it is written.
                var (item, endMs) = (frame.ItemId, frame.ItemEndMs);
                if (_output.TryWrite(frame))
                {
                    _handoff.AudioWritten(item, endMs);
                }
                else
                {
                    frame.Dispose();
                    _metrics.FramesDropped.Add(1, SlowReader);
                }
            }
            if (_frameCount == 0 && _nextDue < now - _frameTicks)
            {
                // Nothing to play: do not bank time, or the next answer would burst out.
                _nextDue = now;
            }
        }
    }

    /// <summary>
    /// Barge-in: drops every frame and every word not yet released, and marks what the reader has not taken as stale
    /// (the caller writes the flush next). Returns the item that was being heard and how many ms of it the reader took
    /// (see <see cref="TransportHandoff.Interrupt"/>), how many frames were dropped here, and the turn whose words were
    /// cut, if any.
    /// </summary>
    public (string? ItemId, double PlayedMs, int Dropped, SpokenTurn? CutTurn) Clear()
    {
        lock (_gate)
        {
            var dropped = _frameCount;
            string? nextItem = null;
            SpokenTurn? cut = null;
            foreach (var entry in _entries)
            {
                if (entry.Text is null)
                {
                    nextItem ??= entry.Frame.ItemId;
                }
                cut ??= entry.Text?.Turn;
                entry.Frame.Dispose();
            }
            _entries.Clear();
            _frameCount = 0;
            var (item, played, cutTurn) = _handoff.Interrupt(nextItem, cut);
            return (item, played, dropped, cutTurn);
        }
    }

    // Under the lock: something waits and the pacer does not know yet.
    private void ScheduleIfWaiting()
    {
        if (_pacer is { } pacer && !_inTick && _entries.Count > 0)
        {
            _inTick = true;
            pacer.Schedule(this);
        }
    }

    private void DropOldestFrame()
    {
        // Words queued ahead of the oldest frame go out now: their audio was released.
        while (_entries.TryPeek(out var head) && head.Text is not null && _output.TryWrite(head.Text))
        {
            _entries.Dequeue();
            _handoff.TextWritten(head.Text.Turn);
        }
        if (_entries.TryPeek(out var oldest) && oldest.Text is null)
        {
            _entries.Dequeue();
            _frameCount--;
            oldest.Frame.Dispose();
        }
    }

    /// <summary>A frame of voice, or a piece of the agent's words (with its turn and where in the turn's text it ends).</summary>
    private readonly record struct Entry(PcmFrame Frame, SpokenPiece? Text);
}
