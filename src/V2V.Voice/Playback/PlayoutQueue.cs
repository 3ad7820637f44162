using System.Diagnostics;
using System.Threading.Channels;
using V2V.Frames;
using V2V.Voice.Diagnostics;
using V2V.Voice.Outputs;

namespace V2V.Voice.Playback;

/// <summary>
/// The agent's voice waiting to be played, released one frame per frame-duration by the shared
/// <see cref="AudioPacer"/>. Because only released frames count as played, the session knows, to within one
/// frame, how much of each item the listener has heard: the <c>audio_end_ms</c> of a truncate.
/// The agent's words wait in the same queue, each piece behind the audio that was received before it, so the
/// transcript is released in step with what is heard (the service sends the text seconds ahead of the voice);
/// a barge-in drops the words not yet heard with the audio. Turns heard to their end are handed to the session
/// for its history (<see cref="TryTakeHeardTurn"/>).
/// Bounded: beyond <c>maxQueued</c> the oldest frame is dropped and counted. When the reader of outputs is too
/// slow, frames are dropped and counted, never piled up; words wait for the reader instead (nothing of the
/// transcript is lost). The lock is held for a few list operations only.
/// Frames are owned: the queue hands each released frame to the reader inside an <see cref="AudioOutput"/> (the
/// reader disposes it) and disposes every frame it drops.
/// </summary>
internal sealed class PlayoutQueue
{
    private readonly object _gate = new();
    private readonly Queue<Entry> _entries = new();
    private readonly System.Collections.Concurrent.ConcurrentQueue<SpokenTurn> _heardTurns = new();
    private int _frameCount;
    private readonly ChannelWriter<VoiceSessionOutput> _output;
    private readonly int _maxFrames;
    private readonly long _frameTicks;
    private long _nextDue;
    private string? _playingItem;
    private double _playingItemMs;

    public PlayoutQueue(ChannelWriter<VoiceSessionOutput> output, TimeSpan frameDuration, TimeSpan maxQueued)
    {
        _output = output;
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
                    VoiceMetrics.FramesDropped.Add(1, new KeyValuePair<string, object?>("reason", "playout_queue_full"));
                }
                _entries.Enqueue(new Entry(frame, null, null, 0));
                _frameCount++;
            }
            if (wasIdle)
            {
                // The first frame after silence is due now: it goes out at once instead of at the pacer's next
                // tick (up to a tick sooner to the listener); the pacer keeps the pace from there.
                Release(now);
            }
        }
    }

    /// <summary>
    /// Queues a piece of the agent's words of <paramref name="turn"/> (ending at <paramref name="textEnd"/> characters
    /// into it) behind the audio received so far: it is released when that audio has been played; at once when none waits.
    /// </summary>
    public void EnqueueText(TranscriptOutput piece, SpokenTurn turn, int textEnd)
    {
        lock (_gate)
        {
            _entries.Enqueue(new Entry(default, piece, turn, textEnd));
            if (_frameCount == 0)
            {
                Release(Stopwatch.GetTimestamp());
            }
        }
    }

    /// <summary>A turn whose words were all heard, for the session's history (taken by the session's actor).</summary>
    public bool TryTakeHeardTurn(out SpokenTurn turn) => _heardTurns.TryDequeue(out turn!);

    /// <summary>Releases every frame that is due by <paramref name="now"/> (Stopwatch ticks), and the words queued behind them. Called by the pacer.</summary>
    public void Release(long now)
    {
        lock (_gate)
        {
            while (_entries.TryPeek(out var entry))
            {
                if (entry.Text is { } text)
                {
                    if (!_output.TryWrite(text))
                    {
                        break; // the reader is behind: the words wait for it (and the audio behind them with them)
                    }
                    _entries.Dequeue();
                    entry.Turn!.HeardChars = entry.TextEnd;
                    if (text.IsFinal)
                    {
                        _heardTurns.Enqueue(entry.Turn);
                    }
                    continue;
                }
                if (_nextDue > now)
                {
                    break;
                }
                _entries.Dequeue();
                _frameCount--;
                var frame = entry.Frame;
                _nextDue += _frameTicks;
                _playingItem = frame.ItemId;
                _playingItemMs = frame.ItemEndMs;
                if (!_output.TryWrite(new AudioOutput(frame)))
                {
                    frame.Dispose();
                    VoiceMetrics.FramesDropped.Add(1, new KeyValuePair<string, object?>("reason", "slow_reader"));
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
    /// Barge-in: drops every frame and every word not yet played. Returns the item that was being heard (the first
    /// dropped frame's, else the last played), how many ms of it were played, how many frames were dropped, and the
    /// turn whose words were cut (the first with words dropped), if any.
    /// </summary>
    public (string? ItemId, double PlayedMs, int Dropped, SpokenTurn? CutTurn) Clear()
    {
        lock (_gate)
        {
            var dropped = _frameCount;
            string? item = _playingItem;
            var played = _playingItemMs;
            SpokenTurn? cut = null;
            var nextFrameSeen = false;
            foreach (var entry in _entries)
            {
                if (entry.Text is null && !nextFrameSeen)
                {
                    nextFrameSeen = true;
                    if (entry.Frame.ItemId != _playingItem)
                    {
                        // The next item had not started: nothing of it was heard.
                        item = entry.Frame.ItemId;
                        played = 0;
                    }
                }
                cut ??= entry.Turn;
                entry.Frame.Dispose();
            }
            _entries.Clear();
            _frameCount = 0;
            return (item, played, dropped, cut);
        }
    }

    private void DropOldestFrame()
    {
        // Words queued ahead of the oldest frame go out now: their audio was played.
        while (_entries.TryPeek(out var head) && head.Text is not null && _output.TryWrite(head.Text))
        {
            _entries.Dequeue();
            head.Turn!.HeardChars = head.TextEnd;
        }
        if (_entries.TryPeek(out var oldest) && oldest.Text is null)
        {
            _entries.Dequeue();
            _frameCount--;
            oldest.Frame.Dispose();
        }
    }

    /// <summary>A frame of voice, or a piece of the agent's words (with its turn and where in the turn's text it ends).</summary>
    private readonly record struct Entry(PcmFrame Frame, TranscriptOutput? Text, SpokenTurn? Turn, int TextEnd);
}
