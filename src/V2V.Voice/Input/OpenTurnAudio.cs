namespace V2V.Voice.Input;

/// <summary>
/// The user's turn that the live connection holds and has not answered, kept so that a new connection (a renewal,
/// a reconnect) can be sent it again: the old connection's input buffer, or the item it committed, is lost with it.
/// Positions are samples on the live connection's input clock (the service's <c>audio_start_ms</c> counts the same
/// audio), which starts again at 0 on each new connection (<see cref="Restart"/>).
/// </summary>
/// <remarks>
/// <para>
/// With the server's turn detection a turn opens at <c>speech_started</c> (from its <c>audio_start_ms</c>, less the
/// prefix padding once more, so the new connection's detector hears quiet before the speech), is committed at
/// <c>input_audio_buffer.committed</c>, is answered when the session takes a response created after that commit
/// (<see cref="Answered"/>), and closes once the user has heard some of that answer (<see cref="Heard"/>): replaying it
/// then would answer it twice. An answer cut before a word of it was heard (a renewal forced just after it began, a
/// connection lost) answered nothing, so its turn is sent again and the new connection answers it. Two more things
/// keep a turn open that a simpler rule would close. A response created before the commit (a greeting, a tool's
/// answer, asked for while the user speaks) does not answer it: the turn is still in the service's input buffer. And a
/// <c>response.created</c> the connection's reader has seen but the session has not taken (it was behind, and a
/// renewal then dropped the old connection's events as stale) answers nothing the user will hear: the turn goes to the
/// new connection, which answers it. The reader notes what it reads (<see cref="SpeechStarted"/>, <see cref="ServiceCommitted"/>,
/// <see cref="ResponseSeen"/>); the session confirms the answers it takes (<see cref="Answered"/>). While no turn is
/// open only the last <see cref="KeepBeforeATurn"/> plus twice the padding is kept: <c>speech_started</c> arrives
/// after the speech began, and its <c>audio_start_ms</c> points back that far. With turns ended on this side the open
/// turn is what was sent since the last commit (<see cref="CommittedHere"/>): all of it with manual turns (a push-to-talk
/// host sends only the user's turns), from the local detector's speech start on with local VAD
/// (<see cref="SpeechStartedHere"/>): the audio streams on between turns, and its silence is no turn of the user's. A
/// turn committed here is kept, as the service's are, until some of its answer is heard (an answer counts once the
/// service acknowledged the commit before it, <see cref="ServiceCommitted"/>); a new connection is then sent it, and
/// told how much of it was committed (<see cref="ReplayedTurn.CommittedSamples"/>), so that it commits it there again.
/// </para>
/// <para>
/// Bounded: at most <see cref="MaxTurn"/> is kept; when a turn grows longer its oldest audio is dropped, and the
/// replay says how much of the turn it lacks (<see cref="ReplayedTurn.MissingMs"/>) so the caller tells it once.
/// The audio is held in blocks of 85 ms shared by the process's sessions (<see cref="KeptAudio"/>): it costs what it
/// holds, not its maximum, and allocates nothing once the process has the blocks its speaking users need.
/// Thread-safe: the producer appends, the connection's reader notes, the session confirms, the switch restarts.
/// </para>
/// </remarks>
internal sealed class OpenTurnAudio : IDisposable
{
    /// <summary>The longest turn kept for a replay.</summary>
    public static readonly TimeSpan MaxTurn = TimeSpan.FromSeconds(15);

    /// <summary>Kept while no turn is open (besides twice the prefix padding), for a <c>speech_started</c> still on its way.</summary>
    /// <remarks>
    /// The service detects speech a few hundred ms after it began and points back to it less the padding; the event
    /// then crosses the network. A second covers that with room (48 KB at 24 kHz).
    /// </remarks>
    public static readonly TimeSpan KeepBeforeATurn = TimeSpan.FromSeconds(1);

    private readonly Lock _gate = new();
    private readonly KeptAudio _audio = new();
    private readonly int _sampleRate;
    private readonly bool _serverDetectsTurns;
    private readonly bool _localDetectorOpensTurns;
    private readonly long _leadSamples;
    private readonly long _keepWhileClosed;
    private readonly long _maxSamples;
    // The most answers seen and not yet taken, and of committed turns not yet answered, that are told apart: beyond
    // them the oldest answer is forgotten (its turn is sent again should a switch come first: a repeat, never a loss)
    // and the two oldest turns are kept as one.
    private const int MaxPending = CommitsAwaitingAck.MaxPending;
    private const long NoTurn = CommitsAwaitingAck.NoTurn;

    private readonly List<(long Commit, long From)> _committed = [];
    private readonly List<(string ResponseId, long Commits)> _seenAnswers = [];
    private long? _speechFrom;
    // Local VAD: the detector heard speech begin and not yet end. A commit then (the host's, or one made for a turn
    // ended while disconnected) leaves the speech going on as the next turn.
    private bool _inLocalSpeech;
    // Commits the service acknowledged on this connection (input_audio_buffer.committed, in order). With turns ended
    // here, the commits sent and not yet acknowledged, and where the last commit sent ended: a turn is numbered at its
    // acknowledgement, so only an answer seen after it answers the turn.
    private long _commits;
    private readonly CommitsAwaitingAck _awaitingAck = new();
    // Acknowledgements read before the sender told this of their commits (CommittedHere): the sender goes on from sending
    // a commit after the service's answer may have been read.
    private int _acksAhead;
    private long _lastCommitEnd;
    // Local VAD, from a restart until its replayed committed part is committed again: where the user's turn since that
    // commit begins in the replayed audio (null: they were silent since).
    private long? _speechAfterReplayedCommit;
    private (string ResponseId, long From)? _unheard;
    private bool _askedAgain;

    /// <param name="sampleRate">The rate of the audio appended (the model's).</param>
    /// <param name="serverDetectsTurns">The service reports speech starts (server or semantic VAD); else turns end on this side with a commit.</param>
    /// <param name="prefixPaddingMs">The server VAD's prefix padding: replayed once more ahead of the reported start.</param>
    /// <param name="maxTurn">The longest turn kept (default <see cref="MaxTurn"/>).</param>
    /// <param name="localDetectorOpensTurns">Turns ended here (not <paramref name="serverDetectsTurns"/>) open at the local detector's speech start, not at the last commit.</param>
    public OpenTurnAudio(int sampleRate, bool serverDetectsTurns, int prefixPaddingMs, TimeSpan? maxTurn = null, bool localDetectorOpensTurns = false)
    {
        _sampleRate = sampleRate;
        _serverDetectsTurns = serverDetectsTurns;
        _localDetectorOpensTurns = !serverDetectsTurns && localDetectorOpensTurns;
        _leadSamples = SamplesOf(prefixPaddingMs);
        _keepWhileClosed = SamplesOf(KeepBeforeATurn.TotalMilliseconds) + (2 * _leadSamples);
        _maxSamples = SamplesOf((maxTurn ?? MaxTurn).TotalMilliseconds);
        // Turns ended here: what is sent before the first commit is the first turn (with local VAD, from its speech on).
        _speechFrom = serverDetectsTurns || _localDetectorOpensTurns ? null : 0;
    }

    /// <summary>Whether a turn is open that a new connection would be sent again.</summary>
    public bool TurnOpen
    {
        get
        {
            lock (_gate)
            {
                return TurnStart is not null;
            }
        }
    }

    /// <summary>Ms of audio kept (the open turn, or the short stretch before one).</summary>
    public double KeptMs
    {
        get
        {
            lock (_gate)
            {
                return (_audio.End - _audio.Start) * 1000.0 / _sampleRate;
            }
        }
    }

    /// <summary>Audio sent on the live connection, in order.</summary>
    public void Append(ReadOnlySpan<short> samples)
    {
        lock (_gate)
        {
            _audio.Append(samples);
            Trim();
        }
    }

    /// <summary>The service heard speech begin at <paramref name="audioStartMs"/> on this connection's clock (server turn detection; the reader).</summary>
    public void SpeechStarted(int audioStartMs)
    {
        if (!_serverDetectsTurns)
        {
            return;
        }
        lock (_gate)
        {
            var at = Math.Clamp(SamplesOf(audioStartMs) - _leadSamples, 0, _audio.End);
            _speechFrom = _speechFrom is { } open ? Math.Min(open, at) : at;
        }
    }

    /// <summary>
    /// The local detector heard speech begin (local VAD; the producer, after the frame it was heard in was sent): the turn
    /// opens <paramref name="msBack"/> before what was sent last (the detector's delay and a padding), within what is kept.
    /// A turn already open stays open from where it began.
    /// </summary>
    public void SpeechStartedHere(double msBack)
    {
        if (!_localDetectorOpensTurns)
        {
            return;
        }
        lock (_gate)
        {
            _speechFrom ??= Math.Max(_audio.Start, _audio.End - SamplesOf(msBack));
            _inLocalSpeech = true;
        }
    }

    /// <summary>
    /// The local detector heard the speech end (local VAD): <paramref name="turnKept"/> when its turn was committed, or is
    /// to be; else it was too short to commit, and is no turn to send again (what follows is silence until the next start).
    /// </summary>
    public void SpeechEndedHere(bool turnKept)
    {
        if (!_localDetectorOpensTurns)
        {
            return;
        }
        lock (_gate)
        {
            _inLocalSpeech = false;
            if (!turnKept)
            {
                _speechFrom = null;
                Trim();
            }
        }
    }

    /// <summary>
    /// The service committed its input buffer (the reader): with its turn detection, the turn in it awaits its answer;
    /// with turns ended here, a commit of this side's is acknowledged, and answers seen from now on answer its turn.
    /// </summary>
    public void ServiceCommitted()
    {
        lock (_gate)
        {
            _commits++;
            if (!_serverDetectsTurns)
            {
                // Ours, acknowledged in the order they were sent: this is the oldest commit awaiting (two commits may go
                // before the first acknowledgement is read: a new connection's replayed turn and one owed to it, and a
                // response created between them answers the first only). One the service refused went with it
                // (CommitRefused); one of silence numbers no turn.
                if (_awaitingAck.Count > 0)
                {
                    if (_awaitingAck.TakeOldest() is { } turnFrom and not NoTurn)
                    {
                        AddCommitted(_commits, turnFrom);
                    }
                }
                else
                {
                    _acksAhead++; // read before the sender told its commit (CommittedHere): that numbers its turn
                }
                return;
            }
            if (_speechFrom is not { } from)
            {
                return; // nothing heard begin since the last commit: no turn to keep
            }
            AddCommitted(_commits, from);
            _speechFrom = null;
        }
    }

    /// <summary>
    /// A new connection committed the part of the replayed turn the old one had committed
    /// (<see cref="ReplayedTurn.CommittedSamples"/>), before the rest is sent: it awaits its answer, as there. What follows
    /// is the user's turn since, where they spoke since that commit (local VAD: speech going on, or a turn ended and owed
    /// its commit); with local VAD, silence since is no turn. Called before the commit goes, as <see cref="CommittedHere"/>.
    /// </summary>
    public void ReplayedPartCommitted()
    {
        lock (_gate)
        {
            _awaitingAck.Add(TurnSinceLastCommit);
            _lastCommitEnd = _audio.End;
            _speechFrom = _localDetectorOpensTurns ? _speechAfterReplayedCommit : _audio.End;
            _speechAfterReplayedCommit = null;
        }
    }

    /// <summary>
    /// The service refused the oldest commit of this side's awaiting its acknowledgement (<c>input_audio_buffer_commit_empty</c>):
    /// its audio stays in the buffer and goes with the next commit, whose turn then begins where the refused one began.
    /// </summary>
    public void CommitRefused()
    {
        if (_serverDetectsTurns)
        {
            return;
        }
        lock (_gate)
        {
            if (_awaitingAck.Refused() is { } from)
            {
                _speechFrom = Math.Min(_speechFrom ?? from, from); // open again, to be committed with what follows
            }
        }
    }

    /// <summary>
    /// The reader saw <c>response.created</c>: once the session takes it (<see cref="Answered"/>), it answers the turns
    /// committed before it.
    /// </summary>
    public void ResponseSeen(string responseId)
    {
        lock (_gate)
        {
            _seenAnswers.Add((responseId, _commits));
            if (_seenAnswers.Count > MaxPending)
            {
                _seenAnswers.RemoveAt(0);
            }
        }
    }

    /// <summary>
    /// The session took the response <paramref name="responseId"/>: the turns committed before it are answered, and kept
    /// until some of the answer is heard (<see cref="Heard"/>).
    /// </summary>
    public void Answered(string responseId)
    {
        lock (_gate)
        {
            var index = _seenAnswers.FindIndex(a => a.ResponseId == responseId);
            if (index < 0)
            {
                return; // seen on a connection that is gone, or forgotten: nothing is closed on its word
            }
            var commits = _seenAnswers[index].Commits;
            _seenAnswers.RemoveRange(0, index + 1); // answers come in order: any seen before it are not coming
            // Committed turns are in commit order: the ones it answers are the first of them.
            var answered = _committed.FindIndex(t => t.Commit > commits) is var later and >= 0 ? later : _committed.Count;
            if (answered == 0)
            {
                // An answer to no turn of the user's (a greeting, a tool's result), unless it is the unheard one asked again.
                if (_askedAgain && _unheard is { } again)
                {
                    _unheard = (responseId, again.From);
                    _askedAgain = false;
                }
                return;
            }
            _askedAgain = false;
            // An earlier answer never heard (cut at once) leaves its turn to this one: both are the user's unanswered words.
            var from = Math.Min(_committed[0].From, _unheard?.From ?? long.MaxValue);
            _committed.RemoveRange(0, answered);
            _unheard = (responseId, from);
        }
    }

    /// <summary>
    /// The answer left unheard (cut before a word of it was heard) is asked for again on this connection, with no new
    /// turn of the user's: the next answer taken that answers no later turn is its answer.
    /// </summary>
    public void AskedAgain()
    {
        lock (_gate)
        {
            _askedAgain = _unheard is not null;
        }
    }

    /// <summary>The user heard some of the answer <paramref name="responseId"/> (or it ended whole): the turns it answers are closed.</summary>
    public void Heard(string responseId)
    {
        lock (_gate)
        {
            if (_unheard?.ResponseId == responseId)
            {
                _unheard = null;
                Trim();
            }
        }
    }

    /// <summary>
    /// This side sent a commit (manual turns, local VAD): the turn sent since the last one awaits its answer, kept until
    /// some of that is heard (a connection lost first is sent it again, and commits it there); the next turn begins after it.
    /// Told once the commit is sent: its acknowledgement may have been read already, on a busy machine, and then numbers
    /// the turn at once (<see cref="ServiceCommitted"/>).
    /// </summary>
    public void CommittedHere()
    {
        if (_serverDetectsTurns)
        {
            return; // the service's own turn stays open until it answers
        }
        lock (_gate)
        {
            var from = TurnSinceLastCommit;
            if (_acksAhead > 0)
            {
                // Its acknowledgement came first: a turn is committed as of that acknowledgement (the oldest read ahead),
                // so an answer seen since answers it, one seen before does not.
                if (from != NoTurn)
                {
                    AddCommitted(_commits - _acksAhead + 1, from);
                }
                _acksAhead--;
            }
            else
            {
                _awaitingAck.Add(from);
            }
            _lastCommitEnd = _audio.End;
            // With local VAD the silence after a turn is no turn, unless the user is still speaking (a commit mid-speech).
            _speechFrom = _localDetectorOpensTurns && !_inLocalSpeech ? null : _audio.End;
            Trim();
        }
    }

    /// <summary>
    /// The user left (the input buffer is cleared): their turns, committed or not, are not sent to a new connection, whose
    /// answer no one would hear (or the next user would, to a question they never asked). The next turn opens as any does.
    /// </summary>
    public void UserLeft()
    {
        lock (_gate)
        {
            _committed.Clear();
            _awaitingAck.Clear();
            _seenAnswers.Clear();
            _unheard = null;
            _askedAgain = false;
            _inLocalSpeech = false;
            _speechFrom = _serverDetectsTurns || _localDetectorOpensTurns ? null : _audio.End;
            Trim();
        }
    }

    /// <summary>
    /// A new connection's clock begins: the open turn's audio (empty when none is open), to be sent on it first. The
    /// turn stays open from position 0 of the new clock, where it is appended again as it goes out.
    /// </summary>
    public ReplayedTurn Restart()
    {
        lock (_gate)
        {
            var audio = Array.Empty<short>();
            double missingMs = 0;
            long committed = 0;
            var from = TurnStart;
            var open = from is not null;
            _speechAfterReplayedCommit = null;
            if (from is { } turnFrom)
            {
                var replayFrom = Math.Max(turnFrom, _audio.Start);
                audio = _audio.Copy(replayFrom, _audio.End);
                missingMs = Math.Max(0, _audio.Start - turnFrom) * 1000.0 / _sampleRate;
                if (!_serverDetectsTurns && (_unheard is not null || _committed.Count > 0 || _awaitingAck.FirstTurn is not null))
                {
                    // Turns ended here were committed up to the last commit: the new connection commits that much again.
                    // Only while a committed turn is unheard: once all are heard, a local speech start may still point
                    // back before the last commit's end (the detector's delay and padding), and that audio is no commit.
                    committed = Math.Clamp(_lastCommitEnd - replayFrom, 0, audio.Length);
                    if (_speechFrom is { } speech)
                    {
                        // The user spoke since that commit (still speaking, or a turn ended and owed its commit): after the
                        // committed part, the rest is their turn, as it was here (ReplayedPartCommitted).
                        _speechAfterReplayedCommit = Math.Clamp(Math.Max(speech, _lastCommitEnd) - replayFrom, committed, audio.Length);
                    }
                }
            }
            _audio.Clear(0);
            // On the new connection the replayed audio is one turn in its input buffer, neither committed nor answered.
            _committed.Clear();
            _seenAnswers.Clear();
            _awaitingAck.Clear();
            _acksAhead = 0;
            _commits = _lastCommitEnd = 0;
            _unheard = null;
            _askedAgain = false;
            _speechFrom = open ? 0 : null;
            return new ReplayedTurn(audio, audio.Length * 1000.0 / _sampleRate, missingMs) { CommittedSamples = (int)committed };
        }
    }

    /// <summary>
    /// Everything <see cref="Restart"/> changes, taken just before it: a new connection that fails before it goes live
    /// (a renewal's) leaves the old one to go on, on its own clock and with its own turns (<see cref="Restore"/>).
    /// </summary>
    public Saved Save()
    {
        lock (_gate)
        {
            return new Saved(_audio.Copy(_audio.Start, _audio.End), _audio.Start, _speechFrom, _commits, _awaitingAck.Snapshot(), _lastCommitEnd, [.. _committed], [.. _seenAnswers], _unheard, _askedAgain);
        }
    }

    /// <summary>Puts back what <see cref="Save"/> took: what was appended since (for the failed connection) is dropped.</summary>
    public void Restore(Saved saved)
    {
        lock (_gate)
        {
            _audio.Clear(saved.Start);
            _audio.Append(saved.Audio);
            _speechFrom = saved.SpeechFrom;
            _speechAfterReplayedCommit = null;
            _commits = saved.Commits;
            _acksAhead = 0; // a commit told late on the old connection is all but impossible across a failed switch
            _awaitingAck.Restore(saved.AwaitingAck);
            _lastCommitEnd = saved.LastCommitEnd;
            _committed.Clear();
            _committed.AddRange(saved.Committed);
            _seenAnswers.Clear();
            _seenAnswers.AddRange(saved.SeenAnswers);
            _unheard = saved.Unheard;
            _askedAgain = saved.AskedAgain;
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _audio.Clear(_audio.End);
        }
    }

    /// <summary>Drops what no replay can need: before the open turn (at most <see cref="MaxTurn"/>), or before the stretch kept while none is open.</summary>
    private void Trim()
    {
        if (_unheard is { } unheard && unheard.From < _audio.End - _maxSamples)
        {
            _unheard = null; // an answer not heard in all that time is given up: a later connection gets no stale question
        }
        var end = _audio.End;
        _audio.DropBefore(Math.Max(TurnStart ?? end - _keepWhileClosed, end - _maxSamples));
    }

    /// <summary>A committed turn, numbered by its acknowledgement (under the lock); over the bound the oldest reaches through the next.</summary>
    private void AddCommitted(long commit, long from)
    {
        _committed.Add((commit, from));
        if (_committed.Count > MaxPending)
        {
            _committed.RemoveAt(1);
        }
    }

    /// <summary>What a commit sent now carries (under the lock): where the user's turn since the last commit began, or <see cref="NoTurn"/>.</summary>
    private long TurnSinceLastCommit => _speechFrom is { } from && from < _audio.End ? from : NoTurn;

    /// <summary>Where the open turn begins: the oldest turn whose answer was not heard, not answered, or still in the input buffer.</summary>
    private long? TurnStart => _unheard?.From ?? (_committed.Count > 0 ? _committed[0].From : _awaitingAck.FirstTurn ?? _speechFrom);

    private long SamplesOf(double ms) => (long)(ms * _sampleRate / 1000);

    /// <summary>The state <see cref="Save"/> took: the kept audio from <c>Start</c> on, and the turns on that clock.</summary>
    public sealed record Saved(
        short[] Audio,
        long Start,
        long? SpeechFrom,
        long Commits,
        (long From, int Commits)[] AwaitingAck,
        long LastCommitEnd,
        (long Commit, long From)[] Committed,
        (string ResponseId, long Commits)[] SeenAnswers,
        (string ResponseId, long From)? Unheard,
        bool AskedAgain);
}
