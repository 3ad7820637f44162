using System.Diagnostics;

namespace V2V.Voice.Diagnostics;

/// <summary>
/// Time to first audio: from the end of the user's speech (as the server's input clock places it, or as this side
/// committed it) to the first audio of the answer. One measure per turn; a barge-in ends the wait.
/// </summary>
internal sealed class FirstAudioTimer
{
    private long? _endOfSpeech;
    private bool _waiting;

    /// <summary>The user's turn ended at <paramref name="timestamp"/> (<see cref="Stopwatch"/> ticks): the answer's first audio is awaited.</summary>
    public void TurnEnded(long timestamp)
    {
        _endOfSpeech = timestamp;
        _waiting = true;
    }

    /// <summary>
    /// The server heard the speech stop at <paramref name="audioEndMs"/> of its input buffer, of which
    /// <paramref name="inputMs"/> has been sent by <paramref name="now"/>: the end of speech was sent (the audio since) ago.
    /// </summary>
    public void SpeechStopped(double inputMs, double audioEndMs, long now)
    {
        var behindMs = Math.Max(0, inputMs - audioEndMs);
        TurnEnded(now - (long)(behindMs / 1000 * Stopwatch.Frequency));
    }

    /// <summary>Nothing to measure any more (the answer was interrupted).</summary>
    public void Cancel() => _waiting = false;

    /// <summary>At an answer's audio: the latency, once per turn.</summary>
    public bool TryTake(long now, out double latencyMs)
    {
        if (_waiting && _endOfSpeech is long end)
        {
            _waiting = false;
            latencyMs = Stopwatch.GetElapsedTime(end, now).TotalMilliseconds;
            return true;
        }
        latencyMs = 0;
        return false;
    }
}
