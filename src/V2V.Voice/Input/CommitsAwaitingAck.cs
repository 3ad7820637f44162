namespace V2V.Voice.Input;

/// <summary>
/// With turns ended on this side: the commits sent on the live connection whose acknowledgement
/// (<c>input_audio_buffer.committed</c>) has not been read, oldest first, each with where its turn begins, or
/// <see cref="NoTurn"/> for a commit of silence (it takes an acknowledgement, or a refusal, of its own, in its place,
/// and numbers no turn). The service acknowledges commits in the order they were sent, so the oldest is the one an
/// acknowledgement or a refusal is for. Bounded: over <see cref="MaxPending"/> the newest is kept as one with the last
/// (that turn reaches through it, and is numbered at the later of their acknowledgements: an answer between them is
/// then not taken for its answer, a repeat should the connection end, never a loss). Not thread-safe: its owner's lock
/// guards it.
/// </summary>
internal sealed class CommitsAwaitingAck
{
    /// <summary>Where a commit of silence "begins": it carries no turn.</summary>
    public const long NoTurn = -1;

    /// <summary>The most commits told apart.</summary>
    public const int MaxPending = 16;

    private readonly List<(long From, int Commits)> _pending = [];

    public int Count => _pending.Count;

    /// <summary>Where the oldest turn awaiting its acknowledgement begins (commits of silence aside); null when none.</summary>
    public long? FirstTurn
    {
        get
        {
            foreach (var (from, _) in _pending)
            {
                if (from != NoTurn)
                {
                    return from;
                }
            }
            return null;
        }
    }

    /// <summary>A commit sent, carrying the turn that begins at <paramref name="from"/> (or <see cref="NoTurn"/>).</summary>
    public void Add(long from)
    {
        if (_pending.Count < MaxPending)
        {
            _pending.Add((from, 1));
            return;
        }
        var last = _pending[^1];
        _pending[^1] = (Merge(last.From, from), last.Commits + 1);
    }

    /// <summary>
    /// One acknowledgement of the oldest commit (there must be one): where its turn begins (or <see cref="NoTurn"/>) once
    /// all the commits it stands for are acknowledged, else null.
    /// </summary>
    public long? TakeOldest()
    {
        var (from, commits) = _pending[0];
        if (commits > 1)
        {
            _pending[0] = (from, commits - 1);
            return null;
        }
        _pending.RemoveAt(0);
        return from;
    }

    /// <summary>
    /// The service refused the oldest commit (<c>input_audio_buffer_commit_empty</c>): its audio stays in the buffer and
    /// goes with the next commit, whose turn then begins where the refused one's began. Returns where the refused turn
    /// begins when no commit follows it to carry it (the turn is open again), else null. Nothing when none awaits.
    /// </summary>
    public long? Refused()
    {
        if (_pending.Count == 0)
        {
            return null;
        }
        var refused = TakeOldest();
        if (refused is not { } from || from == NoTurn)
        {
            return null; // one of several kept as one (the rest go on), or silence left in the buffer: no turn to carry
        }
        if (_pending.Count == 0)
        {
            return from;
        }
        var next = _pending[0];
        _pending[0] = (Merge(next.From, from), next.Commits);
        return null;
    }

    public void Clear() => _pending.Clear();

    /// <summary>The commits awaiting, for a state saved across a switch that may fail.</summary>
    public (long From, int Commits)[] Snapshot() => [.. _pending];

    /// <summary>Puts back what <see cref="Snapshot"/> took.</summary>
    public void Restore((long From, int Commits)[] saved)
    {
        _pending.Clear();
        _pending.AddRange(saved);
    }

    /// <summary>Where one turn made of two begins: the earlier start, commits of silence aside.</summary>
    private static long Merge(long first, long second) => first == NoTurn ? second : second == NoTurn ? first : Math.Min(first, second);
}
