using System.Collections.Concurrent;
using System.Diagnostics;

namespace V2V.Cli.Tests;

/// <summary>
/// What a local server got from a client, in order, with the ms since the trace began: for a failure's message.
/// Appends (audio) run together as one line with their count, so a talk's trace stays readable.
/// </summary>
internal sealed class ClientEventTrace
{
    private readonly long _started = Stopwatch.GetTimestamp();
    private readonly ConcurrentQueue<(double Ms, string What)> _entries = new();

    public void Add(string? what) => _entries.Enqueue((Stopwatch.GetElapsedTime(_started).TotalMilliseconds, what ?? "(no type)"));

    public override string ToString()
    {
        var lines = new List<string>();
        var entries = _entries.ToArray();
        for (var i = 0; i < entries.Length; i++)
        {
            var (ms, what) = entries[i];
            var run = 1;
            while (i + 1 < entries.Length && entries[i + 1].What == what)
            {
                run++;
                i++;
            }
            lines.Add(run == 1 ? $"{ms,8:F0} ms  {what}" : $"{ms,8:F0} ms  {what} x{run} (to {entries[i].Ms:F0} ms)");
        }
        return string.Join('\n', lines);
    }
}
