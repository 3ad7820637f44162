using System.Diagnostics;
using V2V.Realtime.Protocol;
using V2V.Realtime.Protocol.ServerEvents;
using V2V.Voice.Outputs;

namespace V2V.Load;

/// <summary>
/// One session's story around a turn that went wrong: what came on the wire and what its reader got, merged by time.
/// Kept as short lines as they happen (audio deltas of an item in a row as one line), so a rare fault can be read
/// without the sessions' Debug logging, which changes the timing enough to hide it.
/// </summary>
internal static class Timeline
{
    /// <summary>One line; <see cref="Count"/> and <see cref="Bytes"/> grow while audio deltas of one item come in a row.</summary>
    public sealed class Entry(long at, string line)
    {
        public long At { get; } = at;
        public string Line { get; } = line;
        public int Count { get; set; } = 1;
        public long Bytes { get; set; }
        public long LastAt { get; set; } = at;
    }

    private static readonly long Start = Stopwatch.GetTimestamp();

    public static void AddWire(List<Entry> trace, RealtimeServerEvent e)
    {
        var now = Stopwatch.GetTimestamp();
        if (e is ResponseOutputAudioDeltaEvent delta)
        {
            var line = $"wire: audio deltas {delta.ItemId}";
            if (trace.Count > 0 && trace[^1].Line == line)
            {
                trace[^1].Count++;
                trace[^1].Bytes += delta.Audio.Length;
                trace[^1].LastAt = now;
                return;
            }
            trace.Add(new Entry(now, line) { Bytes = delta.Audio.Length });
            return;
        }
        if (e is ResponseOutputAudioTranscriptDeltaEvent or RateLimitsUpdatedEvent)
        {
            return;
        }
        var detail = e switch
        {
            ResponseCreatedEvent c => c.Response.Id,
            ResponseDoneEvent d => $"{d.Response.Id} {d.Response.Status}",
            ResponseOutputAudioTranscriptDoneEvent t => $"{t.ItemId} \"{t.Transcript}\"",
            RealtimeResponseItemEvent i => $"{i.ItemId} of {i.ResponseId}",
            ConversationItemTruncatedEvent t => $"{t.ItemId} at {t.AudioEndMs} ms",
            ConversationItemAddedEvent a => $"{a.Item.Id} {a.Item.Role} {a.Item.Type}",
            InputAudioBufferCommittedEvent c => c.ItemId,
            ErrorEvent err => $"{err.Error.Code}: {err.Error.Message}",
            _ => "",
        };
        trace.Add(new Entry(now, $"wire: {e.Type} {detail}"));
    }

    public static void AddOutput(List<Entry> trace, VoiceSessionEvent? e)
    {
        var line = e switch
        {
            FlushOutput f => $"flush {f.InterruptedItemId}",
            UserSpeechOutput s => s.Started ? $"user speech started at {s.AudioMs:F0} ms" : $"user speech stopped at {s.AudioMs:F0} ms",
            TranscriptOutput { Role: TranscriptRole.Assistant, IsFinal: true } t => $"assistant final {t.ItemId}{(t.Interrupted ? " interrupted" : "")}: \"{t.Text}\"",
            TranscriptOutput { Role: TranscriptRole.User, IsFinal: true } t => $"user final {t.ItemId}: \"{t.Text}\"",
            StateOutput s => $"state {s.State}",
            ErrorOutput err => $"error {err.Code}: {err.Message}",
            FirstAudioOutput a => $"first audio {a.ItemId}",
            _ => null,
        };
        if (line is not null)
        {
            trace.Add(new Entry(Stopwatch.GetTimestamp(), "reader: " + line));
        }
    }

    /// <summary>Prints both lines from 5 s before the first wire line that <paramref name="matches"/> to 2 s after it (nothing when none does).</summary>
    public static void PrintAround(string title, Func<string, bool> matches, List<Entry> wire, List<Entry> reader)
    {
        if (wire.Find(e => matches(e.Line)) is not { } found)
        {
            return;
        }
        Console.WriteLine($"  timeline around {title}:");
        PrintBetween(wire.Concat(reader).OrderBy(e => e.At), found.At - (Stopwatch.Frequency * 5), found.At + (Stopwatch.Frequency * 2));
    }

    /// <summary>Prints both lines from 10 s before the first mention of <paramref name="item"/> (or its response) to 10 s after the last.</summary>
    public static void Print(string item, List<Entry> wire, List<Entry> reader)
    {
        var response = wire.Select(w => w.Line).FirstOrDefault(l => l.Contains(item, StringComparison.Ordinal) && l.Contains(" of ", StringComparison.Ordinal)) is { } withResponse
            ? withResponse[(withResponse.LastIndexOf(" of ", StringComparison.Ordinal) + 4)..]
            : null;
        bool Mentions(Entry e) => e.Line.Contains(item, StringComparison.Ordinal) || (response is not null && e.Line.Contains(response, StringComparison.Ordinal));
        var all = wire.Concat(reader).OrderBy(e => e.At).ToList();
        var mentions = all.Where(Mentions).ToList();
        if (mentions.Count == 0)
        {
            return;
        }
        var margin = Stopwatch.Frequency * 10;
        var from = mentions[0].At - margin;
        var to = mentions[^1].LastAt + margin;
        Console.WriteLine($"  timeline of {item} (response {response ?? "?"}):");
        PrintBetween(all, from, to);
    }

    private static void PrintBetween(IEnumerable<Entry> all, long from, long to)
    {
        foreach (var e in all.Where(e => e.At >= from && e.At <= to))
        {
            var at = Stopwatch.GetElapsedTime(Start, e.At).TotalSeconds;
            var tail = e.Count > 1 || e.Bytes > 0 ? $" x{e.Count}, {e.Bytes / 48.0:F0} ms of audio, until {Stopwatch.GetElapsedTime(Start, e.LastAt).TotalSeconds:F3} s" : "";
            Console.WriteLine($"    {at:F3} s {e.Line}{tail}");
        }
    }
}
