using System.Globalization;
using V2V.Simulator.Protocol;

namespace V2V.Simulator.Session;

/// <summary>How a session that reached its lifetime is ended, in OpenAI's words: an error, then close 1001 with the same message.</summary>
internal static class SessionExpiry
{
    public static RealtimeError Error(TimeSpan lifetime) => RealtimeError.Invalid("session_expired", Message(lifetime), null, null);

    /// <summary>"Your session hit the maximum duration of 60 minutes."; in seconds when the lifetime is not whole minutes (tests set a few seconds).</summary>
    public static string Message(TimeSpan lifetime) => $"Your session hit the maximum duration of {Duration(lifetime)}.";

    private static string Duration(TimeSpan lifetime)
    {
        if (lifetime >= TimeSpan.FromMinutes(1) && lifetime.Ticks % TimeSpan.TicksPerMinute == 0)
        {
            var minutes = (long)lifetime.TotalMinutes;
            return minutes == 1 ? "1 minute" : $"{minutes} minutes";
        }

        var seconds = Math.Round(lifetime.TotalSeconds, 1);
        return seconds == 1 ? "1 second" : $"{seconds.ToString(CultureInfo.InvariantCulture)} seconds";
    }
}
