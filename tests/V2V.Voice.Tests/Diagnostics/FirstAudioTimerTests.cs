using System.Diagnostics;
using V2V.Voice.Diagnostics;

namespace V2V.Voice.Tests.Diagnostics;

/// <summary>Time to first audio, on given timestamps: no clock is read.</summary>
public sealed class FirstAudioTimerTests
{
    [Fact]
    public void TheServersEndOfSpeech_IsPlacedByItsInputClock_AndMeasuredOncePerTurn()
    {
        var timer = new FirstAudioTimer();
        var now = 1_000 * Stopwatch.Frequency;

        // 1,000 ms of input sent, the server heard the speech stop at 800 ms: it ended 200 ms ago.
        timer.SpeechStopped(inputMs: 1000, audioEndMs: 800, now);

        Assert.True(timer.TryTake(now + Stopwatch.Frequency / 10, out var latency));
        Assert.Equal(300, latency, precision: 3);
        Assert.False(timer.TryTake(now + Stopwatch.Frequency, out _));
    }

    [Fact]
    public void AnInterruptedTurn_IsNotMeasured()
    {
        var timer = new FirstAudioTimer();
        Assert.False(timer.TryTake(Stopwatch.GetTimestamp(), out _));

        timer.TurnEnded(Stopwatch.GetTimestamp());
        timer.Cancel();

        Assert.False(timer.TryTake(Stopwatch.GetTimestamp(), out _));
    }
}
