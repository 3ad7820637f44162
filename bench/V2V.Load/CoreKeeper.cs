using System.Diagnostics;

namespace V2V.Load;

/// <summary>
/// Keeps every core out of its idle state while a latency run measures (<c>--keep-awake</c>): one busy loop per
/// core, each in a process of its own at the lowest priority (nice 19), so any thread of the product that wakes
/// takes the core at once. It answers one question: how much of a slow turn is the machine waking a halted
/// virtual CPU? (On the PVM guest of 2026-11-30 it was most of it: an idle thread sleeping 1 ms woke more than
/// 10 ms late 144-232 times in a run without it, 3 times with it.) It burns the cores it keeps awake, so it is a
/// control for measurements, never a way to run the product.
/// </summary>
internal sealed class CoreKeeper : IDisposable
{
    private readonly List<Process> _loops = [];

    public CoreKeeper()
    {
        for (int i = 0; i < Environment.ProcessorCount; i++)
        {
            var info = new ProcessStartInfo("nice", ["-n", "19", "sh", "-c", "exec yes > /dev/null"]) { UseShellExecute = false };
            _loops.Add(Process.Start(info) ?? throw new InvalidOperationException("could not start a busy loop (nice, sh, yes)"));
        }
    }

    public void Dispose()
    {
        foreach (var loop in _loops)
        {
            try
            {
                loop.Kill(entireProcessTree: true);
                loop.WaitForExit();
            }
            catch (InvalidOperationException)
            {
                // It has already ended.
            }
            loop.Dispose();
        }
    }
}
