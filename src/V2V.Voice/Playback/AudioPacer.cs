using System.Diagnostics;

namespace V2V.Voice.Playback;

/// <summary>
/// One clock for the whole process: a single thread that wakes every few milliseconds and releases the due
/// frames of every session's <see cref="PlayoutQueue"/>. A timer per session would mean 50,000 wake-ups a
/// second for 500 sessions of 10 ms frames; this is 200 wake-ups a second whatever the number of sessions.
/// </summary>
internal sealed class AudioPacer
{
    /// <summary>The tick: frames are released at most this late.</summary>
    public static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(5);

    private static readonly Lazy<AudioPacer> SharedInstance = new(() => new AudioPacer());
    private readonly object _gate = new();
    private PlayoutQueue[] _queues = [];

    private AudioPacer()
    {
        var thread = new Thread(Run) { IsBackground = true, Name = "v2v audio pacer", Priority = ThreadPriority.AboveNormal };
        thread.Start();
    }

    /// <summary>The process's pacer.</summary>
    public static AudioPacer Shared => SharedInstance.Value;

    /// <summary>Starts pacing a queue.</summary>
    public void Add(PlayoutQueue queue)
    {
        lock (_gate)
        {
            _queues = [.. _queues, queue];
        }
    }

    /// <summary>Stops pacing a queue.</summary>
    public void Remove(PlayoutQueue queue)
    {
        lock (_gate)
        {
            _queues = [.. _queues.Where(q => q != queue)];
        }
    }

    private void Run()
    {
        var tickTicks = (long)(Tick.TotalSeconds * Stopwatch.Frequency);
        var next = Stopwatch.GetTimestamp();
        while (true)
        {
            var now = Stopwatch.GetTimestamp();
            // Copy-on-write array: the tick reads it without a lock.
            foreach (var queue in Volatile.Read(ref _queues))
            {
                try
                {
                    queue.Release(now);
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    // One session's fault must not stop every other session's voice.
                    Trace.TraceError($"v2v pacer: {ex}");
                }
            }
            next += tickTicks;
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), next);
            if (wait > TimeSpan.Zero)
            {
                Thread.Sleep(wait);
            }
            else
            {
                next = Stopwatch.GetTimestamp(); // fell behind (machine busy): do not try to catch up in a burst
            }
        }
    }
}
