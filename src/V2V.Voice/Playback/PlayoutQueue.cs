using System.Diagnostics;
using System.Threading.Channels;
using V2V.Voice.Diagnostics;
using V2V.Voice.Outputs;

namespace V2V.Voice.Playback;

/// <summary>
/// The agent's voice waiting to be played, released one frame per frame-duration by the shared
/// <see cref="AudioPacer"/>. Because only released frames count as played, the session knows, to within one
/// frame, how much of each item the listener has heard: the <c>audio_end_ms</c> of a truncate.
/// Bounded: beyond <c>maxQueued</c> the oldest frame is dropped and counted. When the reader of outputs is too
/// slow, frames are dropped and counted, never piled up. The lock is held for a few list operations only.
/// </summary>
internal sealed class PlayoutQueue
{
    private readonly object _gate = new();
    private readonly Queue<PlayoutFrame> _frames = new();
    private readonly ChannelWriter<VoiceSessionOutput> _output;
    private readonly int _sampleRate;
    private readonly int _maxFrames;
    private readonly long _frameTicks;
    private long _nextDue;
    private string? _playingItem;
    private double _playingItemMs;

    public PlayoutQueue(ChannelWriter<VoiceSessionOutput> output, int sampleRate, TimeSpan frameDuration, TimeSpan maxQueued)
    {
        _output = output;
        _sampleRate = sampleRate;
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
                return _frames.Count;
            }
        }
    }

    /// <summary>Adds frames; the first after a pause is due at once.</summary>
    public void Enqueue(List<PlayoutFrame> frames)
    {
        lock (_gate)
        {
            var now = Stopwatch.GetTimestamp();
            var wasIdle = _frames.Count == 0;
            if (wasIdle)
            {
                _nextDue = Math.Max(_nextDue, now);
            }
            foreach (var frame in frames)
            {
                if (_frames.Count >= _maxFrames)
                {
                    _frames.Dequeue();
                    VoiceMetrics.FramesDropped.Add(1, new KeyValuePair<string, object?>("reason", "playout_queue_full"));
                }
                _frames.Enqueue(frame);
            }
            if (wasIdle)
            {
                // The first frame after silence is due now: it goes out at once instead of at the pacer's next
                // tick (up to a tick sooner to the listener); the pacer keeps the pace from there.
                Release(now);
            }
        }
    }

    /// <summary>Releases every frame that is due by <paramref name="now"/> (Stopwatch ticks). Called by the pacer.</summary>
    public void Release(long now)
    {
        lock (_gate)
        {
            while (_frames.Count > 0 && _nextDue <= now)
            {
                var frame = _frames.Dequeue();
                _nextDue += _frameTicks;
                _playingItem = frame.ItemId;
                _playingItemMs = frame.ItemEndMs;
                if (!_output.TryWrite(new AudioOutput(frame.Pcm16, _sampleRate, frame.ItemId, frame.ItemEndMs)))
                {
                    VoiceMetrics.FramesDropped.Add(1, new KeyValuePair<string, object?>("reason", "slow_reader"));
                }
            }
            if (_frames.Count == 0 && _nextDue < now - _frameTicks)
            {
                // Nothing to play: do not bank time, or the next answer would burst out.
                _nextDue = now;
            }
        }
    }

    /// <summary>
    /// Barge-in: drops every frame not yet played. Returns the item that was being heard (the first dropped
    /// frame's, else the last played) and how many ms of it were played.
    /// </summary>
    public (string? ItemId, double PlayedMs, int Dropped) Clear()
    {
        lock (_gate)
        {
            var dropped = _frames.Count;
            string? item = _playingItem;
            var played = _playingItemMs;
            if (_frames.TryPeek(out var next) && next.ItemId != _playingItem)
            {
                // The next item had not started: nothing of it was heard.
                item = next.ItemId;
                played = 0;
            }
            _frames.Clear();
            return (item, played, dropped);
        }
    }
}
