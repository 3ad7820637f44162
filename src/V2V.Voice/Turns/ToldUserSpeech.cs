namespace V2V.Voice.Turns;

/// <summary>
/// The user's speech as the session has told it (speech started, speech stopped, the transcript), so that a new
/// connection's detector hearing a turn again does not make the session tell it twice. A new connection is sent the
/// user's unanswered turn once more (<see cref="Input.OpenTurnAudio"/>); its detector then reports that speech as new,
/// from position 0 of its clock, and its transcription transcribes it again. What it reports within the replayed audio
/// and the session told already (on the old connection) is not told again: a host would see a second turn, count a
/// second question, send a second flush, or keep the question twice in the history. What the old connection had not
/// reported (the end of a turn it was still hearing, a transcript still to come) is told as it comes.
/// </summary>
internal sealed class ToldUserSpeech
{
    private Told _told;
    private string? _lastTurnItem;
    private bool _lastTurnTranscribed;

    // What the session had told of the turn sent again to the new connection, and how much audio that was.
    private double _replayedMs;
    private Told _toldBeforeTheSwitch;
    private bool _transcribedBeforeTheSwitch;
    private string? _reheardItem;

    // Turns ended on this side: the new connection's first commit is the replayed turn, committed again (there is no
    // speech stopped to tell it by).
    private bool _awaitingCommitAgain;

    private enum Told
    {
        Nothing,
        Started,
        Stopped,
    }

    /// <summary>
    /// A new connection was sent <paramref name="replayedMs"/> of the user's turn again (0: none) ahead of live audio;
    /// <paramref name="committedAgain"/>: a turn ended on this side, which the old connection had committed, was committed
    /// there again (its first commit).
    /// </summary>
    public void NewConnection(double replayedMs, bool committedAgain = false)
    {
        _replayedMs = replayedMs;
        _toldBeforeTheSwitch = replayedMs > 0 ? _told : Told.Nothing;
        _transcribedBeforeTheSwitch = committedAgain ? _lastTurnTranscribed : _toldBeforeTheSwitch == Told.Stopped && _lastTurnTranscribed;
        _awaitingCommitAgain = committedAgain;
        _reheardItem = null;
    }

    /// <summary>The service heard speech begin at <paramref name="audioStartMs"/> of its clock: true when it is to be told.</summary>
    public bool SpeechStarted(double audioStartMs)
    {
        if (audioStartMs < _replayedMs && _toldBeforeTheSwitch != Told.Nothing)
        {
            return false; // the replayed turn, heard again: its start was told on the old connection
        }
        _replayedMs = 0;
        _told = Told.Started;
        return true;
    }

    /// <summary>The service heard the speech end at <paramref name="audioEndMs"/>, its audio item <paramref name="itemId"/>: true when it is to be told.</summary>
    public bool SpeechStopped(double audioEndMs, string? itemId)
    {
        var toldAlready = audioEndMs <= _replayedMs && _toldBeforeTheSwitch == Told.Stopped;
        _replayedMs = 0;
        if (toldAlready)
        {
            _reheardItem = itemId; // the replayed turn ended where the old connection said it did
            return false;
        }
        _told = Told.Stopped;
        _lastTurnItem = itemId;
        _lastTurnTranscribed = false;
        return true;
    }

    /// <summary>
    /// The service committed the user's audio item <paramref name="itemId"/>: true when it is the replayed turn, heard
    /// again by a new connection, whose words the old connection told already (its transcription will not be told, so
    /// it is not awaited).
    /// </summary>
    public bool CommittedToldBefore(string itemId)
    {
        if (_awaitingCommitAgain)
        {
            _awaitingCommitAgain = false;
            _reheardItem = itemId;
        }
        else if (itemId != _reheardItem)
        {
            // A turn ended on this side has no speech stopped: its item is known from its commit.
            _lastTurnItem = itemId;
            _lastTurnTranscribed = false;
        }
        return itemId == _reheardItem && _transcribedBeforeTheSwitch;
    }

    /// <summary>The transcription of the user's audio item <paramref name="itemId"/> came (or failed): true when it is to be told.</summary>
    public bool Transcribed(string? itemId)
    {
        if (itemId is not null && itemId == _reheardItem)
        {
            _reheardItem = null;
            return !_transcribedBeforeTheSwitch; // the old connection's transcript of the same speech was told
        }
        if (itemId is not null && itemId == _lastTurnItem)
        {
            _lastTurnTranscribed = true;
        }
        return true;
    }

    /// <summary>The user heard an answer: a turn told as ended is answered (one the user is still speaking is not).</summary>
    public void AnswerHeard()
    {
        if (_told == Told.Stopped)
        {
            _told = Told.Nothing;
        }
    }
}
