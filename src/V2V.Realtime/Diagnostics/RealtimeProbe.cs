using System.Diagnostics;
using V2V.Realtime.Client;
using V2V.Realtime.Protocol;

namespace V2V.Realtime.Diagnostics;

/// <summary>
/// Opt-in timestamps inside the audio path, for benchmarks (<c>bench/V2V.Load</c>): how long a frame takes from
/// the caller to the socket, and a received event to playable audio. Off by default; when off, the audio path
/// pays one read of a static field per message and allocates nothing.
/// </summary>
internal static class RealtimeProbe
{
    [ThreadStatic]
    private static long t_frameOrigin;

    private static volatile Sink? s_sink;

    /// <summary>Whether the probe records (a sink is installed).</summary>
    public static bool IsEnabled => s_sink is not null;

    /// <summary>
    /// Installs the callbacks (or removes them with nulls). Each gets Stopwatch timestamps and runs on the audio
    /// path (socket send loop, reader, session actor), so it must be cheap and thread-safe.
    /// </summary>
    /// <param name="inputSent">(frame in, bytes handed to the socket): an append sent, from the frame marked by <see cref="MarkFrameIn()"/>.</param>
    /// <param name="outputReady">(message received, frames queued for playout): an audio delta turned into output frames.</param>
    /// <param name="received">Every server event as received, with the options of the client that received it.</param>
    public static void Enable(Action<long, long>? inputSent, Action<long, long>? outputReady, Action<RealtimeClientOptions, RealtimeServerEvent>? received = null) =>
        s_sink = inputSent is null && outputReady is null && received is null ? null : new Sink(inputSent, outputReady, received);

    /// <summary>
    /// Marks now as the arrival of the frame this thread is about to send: an append created on this thread by
    /// the same call (synchronously) is timed from here.
    /// </summary>
    public static void MarkFrameIn()
    {
        if (s_sink is not null)
        {
            t_frameOrigin = Stopwatch.GetTimestamp();
        }
    }

    /// <summary>As <see cref="MarkFrameIn()"/>, with the frame's arrival given (e.g. when a real-time source was due to deliver it).</summary>
    public static void MarkFrameIn(long timestamp)
    {
        if (s_sink is not null)
        {
            t_frameOrigin = timestamp;
        }
    }

    /// <summary>Called by the session when the frames of an audio delta are queued for playout.</summary>
    public static void OutputReady(long receivedTimestamp)
    {
        if (receivedTimestamp != 0 && s_sink?.OutputReady is { } callback)
        {
            callback(receivedTimestamp, Stopwatch.GetTimestamp());
        }
    }

    /// <summary>The origin of an append being created now: the marked frame, else now.</summary>
    internal static long TakeOrigin()
    {
        var origin = t_frameOrigin;
        t_frameOrigin = 0;
        return origin != 0 ? origin : Stopwatch.GetTimestamp();
    }

    internal static void InputSent(long origin)
    {
        if (s_sink?.InputSent is { } callback)
        {
            callback(origin, Stopwatch.GetTimestamp());
        }
    }

    internal static void Received(RealtimeClientOptions options, RealtimeServerEvent serverEvent, long timestamp)
    {
        if (s_sink is { } sink)
        {
            serverEvent.ReceivedTimestamp = timestamp;
            sink.Received?.Invoke(options, serverEvent);
        }
    }

    private sealed record Sink(Action<long, long>? InputSent, Action<long, long>? OutputReady, Action<RealtimeClientOptions, RealtimeServerEvent>? Received);
}
