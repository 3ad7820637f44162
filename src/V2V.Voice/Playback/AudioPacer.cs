using System.Collections.Concurrent;
using System.Diagnostics;

namespace V2V.Voice.Playback;

/// <summary>
/// One clock for the whole process (per pacing interval in use): a single thread that releases, from each
/// <see cref="PlayoutQueue"/> that has something to play, once per <see cref="Tick"/>, the frames due before its next
/// visit. The queues are kept in four groups, one visited per quarter tick, so many sessions' hand-overs do not all
/// land at one moment. A timer per session would mean 50,000 wake-ups a second for 500 sessions of 10 ms frames; this
/// is 200 a second (at the default 20 ms) whatever the number of sessions.
/// </summary>
/// <remarks>
/// <para>
/// The tick sets how many frames each reader gets per wake-up: at 20 ms, two 10 ms frames (docs/perf: 0.55 thread-pool
/// items per frame out, against 1.05 at 5 ms; the client's CPU moved by less than the load harness's spread). Frames go
/// out up to one tick ahead of their time, never behind it, so a transport that plays what it gets never waits on the
/// tick.
/// </para>
/// <para>
/// Only queues with something waiting are visited: a queue asks to be scheduled when audio or words arrive while it is
/// not (<see cref="Schedule"/>), and leaves the tick once it is empty. A tick then costs what is playing, not every
/// session the process has (reading an idle queue's lock and state is a few cache misses, times hundreds of sessions,
/// at every tick). With nothing playing at all the thread sleeps until a queue is scheduled, so an idle process does
/// not wake at all.
/// </para>
/// </remarks>
internal sealed class AudioPacer
{
    /// <summary>The default tick (<see cref="VoiceSessionOptions.OutputPacingInterval"/>): 20 ms, the usual packet of a media transport.</summary>
    public static readonly TimeSpan DefaultTick = TimeSpan.FromMilliseconds(20);

    // One pacer per tick in use: sessions that pace alike share one thread.
    private static readonly ConcurrentDictionary<TimeSpan, Lazy<AudioPacer>> Shared = new();
    private readonly object _gate = new();
    private readonly ManualResetEventSlim _wake = new(false);

    // Queues scheduled since the last tick (any thread adds, under the gate); the tick swaps it with its spare.
    private List<PlayoutQueue> _scheduled = [];
    private List<PlayoutQueue> _spare = [];

    // The queues being played, in Phases groups: the pacer thread's own. Each wake-up visits one group, so each queue
    // is still visited once per tick, and the hand-overs of many sessions come as Phases small bursts per tick instead
    // of one large one, which held both cores at once and delayed every other thread's work behind it.
    private const int Phases = 4;
    private readonly List<PlayoutQueue>[] _phases = [.. Enumerable.Range(0, Phases).Select(_ => new List<PlayoutQueue>())];
    private int _phase;

    /// <summary>A pacer with a thread of its own (tests; sessions share the process's, <see cref="For"/>).</summary>
    internal AudioPacer(string threadName, TimeSpan? tick = null)
    {
        Tick = tick ?? DefaultTick;
        var thread = new Thread(Run) { IsBackground = true, Name = threadName, Priority = ThreadPriority.AboveNormal };
        thread.Start();
    }

    /// <summary>How often this pacer wakes; each queue is given, at each wake-up, what is due before the next.</summary>
    public TimeSpan Tick { get; }

    /// <summary>The process's pacer for <paramref name="tick"/>, started on first use.</summary>
    public static AudioPacer For(TimeSpan tick) =>
        Shared.GetOrAdd(tick, t => new Lazy<AudioPacer>(() => new AudioPacer($"v2v audio pacer {t.TotalMilliseconds:0.#}ms", t))).Value;

    /// <summary>Queues being played at the last tick (diagnostics and tests).</summary>
    public int Playing => Volatile.Read(ref _playingCount);

    private int _playingCount;

    /// <summary>Starts pacing a queue: from now on it is scheduled whenever it has something to play.</summary>
    public void Add(PlayoutQueue queue) => queue.AttachTo(this);

    /// <summary>Stops pacing a queue: it leaves the tick (if it is in it) at the next one.</summary>
    public void Remove(PlayoutQueue queue) => queue.AttachTo(null);

    /// <summary>A queue attached to this pacer has something to play (it calls this once until it is empty again).</summary>
    internal void Schedule(PlayoutQueue queue)
    {
        lock (_gate)
        {
            _scheduled.Add(queue);
        }
        _wake.Set();
    }

    private void Run()
    {
        var wakeTicks = (long)(Tick.TotalSeconds * Stopwatch.Frequency / Phases);
        var next = Stopwatch.GetTimestamp();
        while (true)
        {
            TakeScheduled();
            ReleaseDue(_phases[_phase], Stopwatch.GetTimestamp());
            _phase = (_phase + 1) % Phases;
            var playing = PlayingCount();
            Volatile.Write(ref _playingCount, playing);
            if (playing == 0)
            {
                WaitForSchedule();
                next = Stopwatch.GetTimestamp();
                continue;
            }
            next += wakeTicks;
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

    // One group's turn: each queue releases what is due before its next visit, a tick from now.
    private void ReleaseDue(List<PlayoutQueue> queues, long now)
    {
        for (var i = queues.Count - 1; i >= 0; i--)
        {
            bool keep;
            try
            {
                keep = queues[i].ReleaseDue(this, now);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // One session's fault must not stop every other session's voice.
                Trace.TraceError($"v2v pacer: {ex}");
                keep = true;
            }
            if (!keep)
            {
                // Order does not matter: each queue keeps its own pace.
                queues[i] = queues[^1];
                queues.RemoveAt(queues.Count - 1);
            }
        }
    }

    private int PlayingCount()
    {
        var count = 0;
        foreach (var queues in _phases)
        {
            count += queues.Count;
        }
        return count;
    }

    // Newly scheduled queues join the smallest group, so the bursts stay even. A queue's first frames went out when
    // they arrived (PlayoutQueue releases at once after silence, a tick ahead), so its first visit may wait a tick.
    private void TakeScheduled()
    {
        List<PlayoutQueue> taken;
        lock (_gate)
        {
            taken = _scheduled;
            _scheduled = _spare;
        }
        foreach (var queue in taken)
        {
            var smallest = _phases[0];
            foreach (var queues in _phases)
            {
                if (queues.Count < smallest.Count)
                {
                    smallest = queues;
                }
            }
            smallest.Add(queue);
        }
        taken.Clear();
        _spare = taken;
    }

    // Nothing plays: sleep until a queue is scheduled. Reset before looking, so a Schedule after the look wakes it.
    private void WaitForSchedule()
    {
        _wake.Reset();
        lock (_gate)
        {
            if (_scheduled.Count > 0)
            {
                return;
            }
        }
        _wake.Wait();
    }
}
