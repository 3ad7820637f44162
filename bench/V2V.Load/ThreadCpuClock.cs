using System.Runtime.InteropServices;

namespace V2V.Load;

/// <summary>
/// The CPU time of the calling thread (Linux's <c>CLOCK_THREAD_CPUTIME_ID</c>), in nanoseconds: what the thread itself
/// ran, without the time it waited runnable or asleep. Elsewhere <see cref="IsAvailable"/> is false and reads are 0.
/// </summary>
internal static class ThreadCpuClock
{
    private const int ClockThreadCpuTimeId = 3;

    public static bool IsAvailable { get; } = OperatingSystem.IsLinux();

    public static long NowNs()
    {
        if (!IsAvailable || ClockGetTime(ClockThreadCpuTimeId, out var time) != 0)
        {
            return 0;
        }
        return (time.Seconds * 1_000_000_000) + time.Nanoseconds;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    // DllImport, not LibraryImport: the struct is blittable, so no marshalling code is needed, and the project stays safe.
    [DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clock, out TimeSpec time);
}
