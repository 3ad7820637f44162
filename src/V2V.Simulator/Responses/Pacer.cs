using System.Diagnostics;

namespace V2V.Simulator.Responses;

/// <summary>
/// Paces a response's audio: the delta that starts at audio time t is sent at wall time (t - lead) / speed after
/// the response began, so the server stays at most <c>lead</c> ahead of real time (scaled by the speed factor).
/// Speed 0 or infinity: no waiting at all.
/// </summary>
internal sealed class Pacer(double speedFactor, int leadMs)
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public bool Unpaced => speedFactor == 0 || double.IsPositiveInfinity(speedFactor);

    public Task WaitUntilAudioAsync(int audioMs, CancellationToken cancellationToken)
    {
        if (Unpaced)
        {
            return Task.CompletedTask;
        }

        var dueMs = (audioMs - leadMs) / speedFactor;
        var waitMs = dueMs - _clock.Elapsed.TotalMilliseconds;
        return waitMs >= 1 ? Task.Delay(TimeSpan.FromMilliseconds(waitMs), cancellationToken) : Task.CompletedTask;
    }

    public static Task WaitAsync(TimeSpan delay, CancellationToken cancellationToken) =>
        delay > TimeSpan.Zero ? Task.Delay(delay, cancellationToken) : Task.CompletedTask;
}
