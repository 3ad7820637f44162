using System.Globalization;

namespace V2V.Realtime.Client;

/// <summary>
/// The <c>event_id</c> the client gives an event whose caller left it empty, so that an <c>error</c> (which names
/// the <c>event_id</c> of the event it refuses) can be matched to its request. Short and unique in the process:
/// a random prefix chosen once (ids of two runs do not collide in one log) and a counter.
/// </summary>
internal static class ClientEventIds
{
    private static readonly string s_prefix = "evt_" + Random.Shared.Next(0x100000, 0xFFFFFF).ToString("x6", CultureInfo.InvariantCulture) + "_";
    private static long s_counter;

    public static string Next() => s_prefix + Interlocked.Increment(ref s_counter).ToString(CultureInfo.InvariantCulture);
}
