namespace V2V.Simulator.Responses;

/// <summary>
/// The server's clocks. A response's audio is sent as it is "generated": with <see cref="ResponsePace.Service"/>
/// the delta that ends at audio time t leaves at t / <see cref="LocalRealtimeServerOptions.GenerationSpeed"/> after
/// the response began (faster than real time, as OpenAI sends); with <see cref="ResponsePace.RealTime"/> at
/// (t - lead), so the server stays at most <c>lead</c> ahead. Every wait is divided by the speed factor; speed 0 or
/// infinity: no waiting at all. The clock is the wall clock in the server (<see cref="TimeProvider.System"/>) and a fake
/// one in tests.
/// </summary>
internal sealed class Pacer(LocalRealtimeServerOptions options, TimeProvider clock)
{
    private readonly long _started = clock.GetTimestamp();

    public bool Unpaced => IsUnpaced(options.SpeedFactor);

    /// <summary>Waits until the delta of the response's audio from <paramref name="startMs"/> to <paramref name="endMs"/> is due.</summary>
    public Task WaitUntilAudioAsync(int startMs, int endMs, CancellationToken cancellationToken)
    {
        if (Unpaced)
        {
            return Task.CompletedTask;
        }

        var dueMs = options.Pace == ResponsePace.Service
            ? endMs / options.GenerationSpeed / options.SpeedFactor
            : (startMs - options.AudioLeadMs) / options.SpeedFactor;
        var waitMs = dueMs - clock.GetElapsedTime(_started).TotalMilliseconds;
        return waitMs >= 1 ? Task.Delay(TimeSpan.FromMilliseconds(waitMs), clock, cancellationToken) : Task.CompletedTask;
    }

    /// <summary>A service delay (cancel, transcription, a fault) on the server's clock.</summary>
    public static TimeSpan Scale(TimeSpan delay, double speedFactor) =>
        IsUnpaced(speedFactor) || delay <= TimeSpan.Zero ? TimeSpan.Zero : delay / speedFactor;

    public static Task WaitAsync(TimeSpan delay, TimeProvider clock, CancellationToken cancellationToken) =>
        delay > TimeSpan.Zero ? Task.Delay(delay, clock, cancellationToken) : Task.CompletedTask;

    private static bool IsUnpaced(double speedFactor) => speedFactor == 0 || double.IsPositiveInfinity(speedFactor);
}
