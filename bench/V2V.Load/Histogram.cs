namespace V2V.Load;

/// <summary>
/// A lock-free latency histogram in microseconds: linear 1 us buckets to 1 ms, then 1% wide buckets (log) to
/// 100 s. Recording is one Interlocked.Increment; percentiles are exact to the bucket (1 us or 1%).
/// </summary>
internal sealed class Histogram
{
    private const int Linear = 1000;
    private const double LogBase = 1.01;
    private static readonly int LogBuckets = (int)Math.Ceiling(Math.Log(100_000_000.0 / Linear) / Math.Log(LogBase)) + 1;
    private readonly long[] _counts = new long[Linear + LogBuckets];
    private long _total;
    private long _max;

    public long Count => Interlocked.Read(ref _total);

    public void RecordTicks(long stopwatchTicks) => Record(stopwatchTicks * 1_000_000.0 / System.Diagnostics.Stopwatch.Frequency);

    public void Record(double microseconds)
    {
        var us = Math.Max(0, microseconds);
        int bucket = us < Linear ? (int)us : Math.Min(_counts.Length - 1, Linear + (int)(Math.Log(us / Linear) / Math.Log(LogBase)));
        Interlocked.Increment(ref _counts[bucket]);
        Interlocked.Increment(ref _total);
        var rounded = (long)us;
        long seen;
        while (rounded > (seen = Volatile.Read(ref _max)) && Interlocked.CompareExchange(ref _max, rounded, seen) != seen)
        {
        }
    }

    /// <summary>The value at percentile <paramref name="p"/> (0..100), in ms; NaN when empty.</summary>
    public double PercentileMs(double p)
    {
        long total = Count;
        if (total == 0)
        {
            return double.NaN;
        }
        long rank = (long)Math.Ceiling(p / 100 * total), seen = 0;
        for (int i = 0; i < _counts.Length; i++)
        {
            seen += Volatile.Read(ref _counts[i]);
            if (seen >= Math.Max(1, rank))
            {
                double upperUs = i < Linear ? i + 1 : Linear * Math.Pow(LogBase, i - Linear + 1);
                return upperUs / 1000;
            }
        }
        return MaxMs;
    }

    public double MaxMs => Volatile.Read(ref _max) / 1000.0;

    public void Reset()
    {
        Array.Clear(_counts);
        _total = 0;
        _max = 0;
    }
}
