using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;

namespace V2V.Cli.Tests;

/// <summary>
/// What went over a local server's connections, in order, with the ms since the trace began: for a failure's message.
/// Client events are marked <c>→</c>, server events <c>←</c> with what places them (audio positions, response ids and
/// status, transcripts). Runs of one kind (appends, deltas) make one line with their count, so a talk's trace stays
/// readable.
/// </summary>
internal sealed class WireTrace
{
    private readonly long _started = Stopwatch.GetTimestamp();
    private readonly ConcurrentQueue<(double Ms, string What)> _entries = new();

    public void Add(string what) => _entries.Enqueue((Stopwatch.GetElapsedTime(_started).TotalMilliseconds, what));

    public void Client(JsonElement clientEvent) => Add("→ " + Type(clientEvent));

    public void Server(JsonElement serverEvent) => Add("← " + Type(serverEvent) + Detail(serverEvent));

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

    private static string Type(JsonElement e) => e.TryGetProperty("type", out var type) ? type.GetString() ?? "(no type)" : "(no type)";

    private static string Detail(JsonElement e)
    {
        var parts = new List<string>();
        foreach (var name in (string[])["audio_start_ms", "audio_end_ms", "item_id", "transcript"])
        {
            if (e.TryGetProperty(name, out var value) && !Type(e).EndsWith(".delta", StringComparison.Ordinal))
            {
                parts.Add($"{name}={value}");
            }
        }
        if (e.TryGetProperty("response", out var response) && response.ValueKind == JsonValueKind.Object)
        {
            parts.Add($"response={response.GetProperty("id")} {response.GetProperty("status")}");
        }
        if (e.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
        {
            parts.Add(error.GetRawText());
        }
        return parts.Count == 0 ? "" : " " + string.Join(' ', parts);
    }
}
