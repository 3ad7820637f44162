namespace V2V.Cli.Talk;

/// <summary>
/// The input's timeline: how much time has passed since its first frame was sent. In real time, the answer heard at
/// a moment belongs at that moment of the input, so the answer WAV can be laid beside the input and listened to.
/// </summary>
internal sealed class InputClock(TimeProvider time)
{
    private long _started = -1;

    /// <summary>Marks the first frame sent (later calls do nothing).</summary>
    public void Start() => Interlocked.CompareExchange(ref _started, time.GetTimestamp(), -1);

    /// <summary>Time since the first frame was sent; zero before it.</summary>
    public TimeSpan Elapsed
    {
        get
        {
            var started = Interlocked.Read(ref _started);
            return started < 0 ? TimeSpan.Zero : time.GetElapsedTime(started);
        }
    }
}
