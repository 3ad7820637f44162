using System.Diagnostics;

namespace V2V.Load;

/// <summary>
/// A control for latency runs: a thread that does nothing but sleep 1 ms at a time and notes each time it woke
/// more than <see cref="ThresholdMs"/> late. It shares nothing with the product but the machine, so a slow turn
/// that overlaps one of its gaps was held up by the machine (a thread not scheduled in time), not by our code.
/// </summary>
internal sealed class WakeupProbe : IDisposable
{
    /// <summary>Gaps up to this long are normal for a 1 ms sleep and not noted.</summary>
    public const double ThresholdMs = 5;

    // A bound, so a run on a very busy machine cannot grow it without end: later gaps are only counted.
    private const int MaxKept = 100_000;

    private readonly List<(long Start, long End)> _gaps = [];
    private readonly Thread _thread;
    private volatile bool _stop;
    private long _over10;
    private long _longest;

    public WakeupProbe()
    {
        _thread = new Thread(Run) { IsBackground = true, Name = "wake-up probe" };
        _thread.Start();
    }

    private void Run()
    {
        var threshold = (long)(ThresholdMs * Stopwatch.Frequency / 1000);
        var tenMs = Stopwatch.Frequency / 100;
        var last = Stopwatch.GetTimestamp();
        while (!_stop)
        {
            Thread.Sleep(1);
            var now = Stopwatch.GetTimestamp();
            if (now - last > threshold)
            {
                lock (_gaps)
                {
                    if (_gaps.Count < MaxKept)
                    {
                        _gaps.Add((last, now));
                    }
                    _over10 += now - last > tenMs ? 1 : 0;
                    _longest = Math.Max(_longest, now - last);
                }
            }
            last = now;
        }
    }

    /// <summary>The longest gap that overlaps [<paramref name="from"/>, <paramref name="to"/>], in ms (0: none).</summary>
    public double LongestGapMs(long from, long to)
    {
        lock (_gaps)
        {
            long longest = 0;
            foreach (var (start, end) in _gaps)
            {
                if (start < to && end > from)
                {
                    longest = Math.Max(longest, end - start);
                }
            }
            return longest * 1000.0 / Stopwatch.Frequency;
        }
    }

    /// <summary>One line: how often the idle thread woke more than 10 ms late, and the worst.</summary>
    public string Summary()
    {
        lock (_gaps)
        {
            return $"control: an idle thread sleeping 1 ms at a time in this process woke more than 10 ms late {_over10} times (worst {_longest * 1000.0 / Stopwatch.Frequency:F1} ms)";
        }
    }

    public void Dispose()
    {
        _stop = true;
        _thread.Join();
    }
}
