using System.Text.Json.Nodes;
using V2V.Voice.Outputs;

namespace V2V.Cli.Talk;

/// <summary>
/// Prints the conversation line by line and keeps it as JSON lines, in conversation order: the user's words of a
/// turn before the agent's answer to it. The service transcribes the user asynchronously, so the user's line often
/// comes after the agent has begun; from the turn's commit until that line comes, the agent's words are held (at most
/// <see cref="MaxHold"/>, or until the session says it will not come), then printed. Called from the reader of outputs
/// and from a timer: one lock.
/// </summary>
internal sealed class TalkReport : IDisposable
{
    /// <summary>How long the agent's words wait for the user's line before they are printed without it.</summary>
    public static readonly TimeSpan MaxHold = TimeSpan.FromSeconds(4);

    private readonly object _gate = new();
    private readonly TextWriter _console;
    private readonly StreamWriter? _jsonLines;
    private readonly TimeProvider _time;
    private readonly long _started;
    private readonly ITimer _overdue;

    // The agent's words held while a user line is awaited, each with the time it came; bounded by the answers of
    // MaxHold seconds (a few sentences), as nothing is held longer.
    private readonly Queue<(TranscriptOutput Piece, double TimeMs)> _held = new();
    // The user turns whose line is awaited (committed, transcript pending), by item id: the session says which, and
    // bounds them (TurnTracker.MaxTranscriptsAwaited: beyond it, the oldest is said not to come).
    private readonly HashSet<string> _awaitedUserLines = new(StringComparer.Ordinal);
    private long _awaitedSince;
    private bool _assistantLineOpen;

    public TalkReport(TextWriter console, StreamWriter? jsonLines, TimeProvider time)
    {
        _console = console;
        _jsonLines = jsonLines;
        _time = time;
        _started = time.GetTimestamp();
        _overdue = time.CreateTimer(_ => ReleaseIfOverdue(), null, TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(100));
    }

    /// <summary>The user's turn <paramref name="itemId"/> was committed: its transcript is on its way.</summary>
    public void ExpectUserLine(string itemId)
    {
        lock (_gate)
        {
            if (_awaitedUserLines.Count == 0)
            {
                _awaitedSince = _time.GetTimestamp();
            }
            _awaitedUserLines.Add(itemId);
        }
    }

    /// <summary>The user's turn <paramref name="itemId"/> will have no line (its transcription failed, or its connection was replaced).</summary>
    public void UserLineNotComing(string itemId)
    {
        lock (_gate)
        {
            if (_awaitedUserLines.Remove(itemId) && _awaitedUserLines.Count == 0)
            {
                ReleaseHeld();
            }
        }
    }

    public void Transcript(TranscriptOutput t)
    {
        lock (_gate)
        {
            var timeMs = Math.Round(_time.GetElapsedTime(_started).TotalMilliseconds);
            if (t.Role == TranscriptRole.Assistant && _awaitedUserLines.Count > 0)
            {
                _held.Enqueue((t, timeMs));
                return;
            }
            Write(t, timeMs);
            if (t.Role == TranscriptRole.User && t.ItemId is { } itemId && _awaitedUserLines.Remove(itemId))
            {
                _awaitedSince = _time.GetTimestamp();
                if (_awaitedUserLines.Count == 0)
                {
                    ReleaseHeld();
                }
            }
        }
    }

    /// <summary>An error, as one line.</summary>
    public void Error(ErrorOutput error)
    {
        lock (_gate)
        {
            WriteNote($"{(error.Fatal ? "error" : "warning")}: {error.Message}");
        }
    }

    /// <summary>The connection dropped and the session reconnects: one line (the session says which user lines will not come).</summary>
    public void ConnectionLost(string? reason)
    {
        lock (_gate)
        {
            WriteNote($"reconnecting: {reason}");
        }
    }

    /// <summary>A line about the run itself, printed at once.</summary>
    public void Note(string line)
    {
        lock (_gate)
        {
            WriteNote(line);
        }
    }

    /// <summary>The end: whatever is still held is printed.</summary>
    public void Finish()
    {
        lock (_gate)
        {
            _awaitedUserLines.Clear();
            ReleaseHeld();
            EndAssistantLine();
        }
    }

    public void Dispose() => _overdue.Dispose();

    private void ReleaseIfOverdue()
    {
        lock (_gate)
        {
            if (_awaitedUserLines.Count > 0 && _time.GetElapsedTime(_awaitedSince) >= MaxHold)
            {
                // A late line still prints when it comes, only after the agent's.
                _awaitedUserLines.Clear();
                ReleaseHeld();
            }
        }
    }

    private void ReleaseHeld()
    {
        while (_held.TryDequeue(out var held))
        {
            Write(held.Piece, held.TimeMs);
        }
    }

    private void Write(TranscriptOutput t, double timeMs)
    {
        if (t.Role == TranscriptRole.User)
        {
            EndAssistantLine();
            _console.WriteLine($"user: {t.Text}");
        }
        else
        {
            if (!_assistantLineOpen)
            {
                _console.Write("agent: ");
                _assistantLineOpen = true;
            }
            _console.Write(t.Text);
            if (t.IsFinal)
            {
                _console.WriteLine(t.Interrupted ? " [interrupted]" : "");
                _assistantLineOpen = false;
            }
        }
        _jsonLines?.WriteLine(new JsonObject
        {
            ["time_ms"] = timeMs,
            ["role"] = t.Role == TranscriptRole.User ? "user" : "assistant",
            ["text"] = t.Text,
            ["is_final"] = t.IsFinal,
            ["end_of_segment"] = t.EndOfSegment,
            ["interrupted"] = t.Interrupted,
        }.ToJsonString());
    }

    private void WriteNote(string line)
    {
        EndAssistantLine();
        _console.WriteLine(line);
    }

    private void EndAssistantLine()
    {
        if (_assistantLineOpen)
        {
            _console.WriteLine();
            _assistantLineOpen = false;
        }
    }
}
