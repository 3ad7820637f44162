using System.Collections.Concurrent;
using System.Threading.Channels;
using V2V.Voice.Diagnostics;
using V2V.Voice.Outputs;

namespace V2V.Voice.Playback;

/// <summary>
/// The session's outputs as the transport reads them. Audio counts as played, and the agent's words as heard, when the
/// reader takes them, not when the session writes them into the bounded channel between the two, which may hold
/// seconds of voice a slow reader has not taken: a barge-in truncates at what the transport took. What was written
/// before a barge-in's flush and not taken by then (audio, and the words paced with it) is dropped on the reader's
/// way, so the listener never gets audio the conversation no longer holds.
/// Threads: the one reader takes (<see cref="TryRead"/>); the one writer of audio (the pacer under the playout queue's
/// lock, or the actor when unpaced) reports what it wrote and interrupts; the actor reads <see cref="InFlight"/>.
/// No lock and no allocation per frame: the taken position is one object per item, its end written with Volatile.
/// </summary>
/// <remarks>With <c>reportsPlayed</c>, the position is what the transport reports instead (<see cref="ReportPlayed"/>; a
/// phone stream's echoed marks), and taking a frame only counts it as no longer in the channel.</remarks>
internal sealed class TransportHandoff(ChannelReader<VoiceSessionOutput> outputs, VoiceMetrics metrics, bool reportsPlayed = false) : ChannelReader<VoiceSessionOutput>
{
    /// <summary>Items (and turns) remembered as written; older ones have long been taken.</summary>
    private const int RememberedItems = 32;

    private static readonly KeyValuePair<string, object?> BargeInDrop = new("reason", "barge_in");

    private readonly ConcurrentQueue<SpokenTurn> _heardTurns = new();

    // Reader's side, read by the writer at a barge-in.
    private TakenItem? _taken;
    private string? _wordTakenItem;
    private long _framesTaken; // stale frames dropped included

    // Reporter's side: the items reported lately, so a late report of an earlier one cannot move the position back.
    private readonly string?[] _itemsReported = new string?[RememberedItems];
    private int _reports;
    private int _flushesAhead; // barge-ins whose flush the reader has not taken: what comes before it is stale

    // Writer's side: since the last barge-in, the items written (in order, with how far) and the turns with words written.
    private readonly List<(string ItemId, double EndMs)> _written = [];
    private readonly List<SpokenTurn> _turnsWritten = [];
    private long _framesWritten;

    /// <summary>The item whose audio the reader took last (or the transport reported played): what the listener is hearing.</summary>
    public string? LastTakenItem => Volatile.Read(ref _taken)?.ItemId;

    /// <summary>
    /// The item a word of which the reader took last, since the last barge-in: the listener heard the answer, not only a
    /// breath of its first syllable (its words are released as the audio before them is played).
    /// </summary>
    public string? LastItemWithAWordTaken => Volatile.Read(ref _wordTakenItem);

    /// <summary>Audio written and not yet taken by the reader (none counts while a flush is on its way to it).</summary>
    public bool InFlight => Volatile.Read(ref _flushesAhead) == 0 && Volatile.Read(ref _framesWritten) > Volatile.Read(ref _framesTaken);

    public override Task Completion => outputs.Completion;

    public override bool CanCount => outputs.CanCount;

    /// <summary>Outputs waiting, stale ones included.</summary>
    public override int Count => outputs.Count;

    /// <summary>A turn whose words the reader took to their end, for the session's history (taken by the actor).</summary>
    public bool TryTakeHeardTurn(out SpokenTurn turn) => _heardTurns.TryDequeue(out turn!);

    /// <summary>Writer: a frame of <paramref name="itemId"/> ending <paramref name="endMs"/> into it is in the channel.</summary>
    public void AudioWritten(string? itemId, double endMs)
    {
        Volatile.Write(ref _framesWritten, _framesWritten + 1);
        if (itemId is null)
        {
            return;
        }
        if (_written.Count > 0 && _written[^1].ItemId == itemId)
        {
            _written[^1] = (itemId, endMs);
            return;
        }
        if (_written.Count == RememberedItems)
        {
            _written.RemoveAt(0);
        }
        _written.Add((itemId, endMs));
    }

    /// <summary>Writer: a piece of <paramref name="turn"/>'s words is in the channel.</summary>
    public void TextWritten(SpokenTurn turn)
    {
        _turnsWritten.RemoveAll(t => t.FinalHeard);
        if (_turnsWritten.Count > 0 && _turnsWritten[^1] == turn)
        {
            return;
        }
        if (_turnsWritten.Count == RememberedItems)
        {
            _turnsWritten.RemoveAt(0);
        }
        _turnsWritten.Add(turn);
    }

    /// <summary>
    /// Writer, at a barge-in (the caller then writes the <see cref="FlushOutput"/>): what is in the channel now is
    /// stale. Returns the item the listener was hearing and how many ms of it the reader took (the item of the first
    /// frame not taken at 0 when that is a later one: <paramref name="nextQueuedItem"/> is the first still queued
    /// before the channel), and the turn whose words were cut: the first written and not heard to its end, else
    /// <paramref name="queuedCut"/>.
    /// </summary>
    public (string? ItemId, double PlayedMs, SpokenTurn? CutTurn) Interrupt(string? nextQueuedItem, SpokenTurn? queuedCut)
    {
        Interlocked.Increment(ref _flushesAhead);
        var (itemId, playedMs) = FirstNotTaken(Volatile.Read(ref _taken), nextQueuedItem);
        // Heard up to here, and cut: nothing is heard from now on until the reader takes a frame again. A second barge-in
        // with nothing played between (the next connection's first speech start) names no item, where the one taken
        // before would be cut again, perhaps on a connection that never had it.
        Volatile.Write(ref _taken, null);
        Volatile.Write(ref _wordTakenItem, null);
        var cut = queuedCut;
        foreach (var turn in _turnsWritten)
        {
            if (!turn.FinalHeard)
            {
                cut = turn;
                break;
            }
        }
        _written.Clear();
        _turnsWritten.Clear();
        return (itemId, playedMs, cut);
    }

    public override bool TryRead(out VoiceSessionOutput item)
    {
        while (outputs.TryRead(out var output))
        {
            if (Take(output, out item))
            {
                return true;
            }
        }
        item = default;
        return false;
    }

    public override ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken = default) => outputs.WaitToReadAsync(cancellationToken);

    /// <summary>The reader takes <paramref name="output"/>: false when it is stale (dropped), else what it is given.</summary>
    private bool Take(VoiceSessionOutput output, out VoiceSessionOutput given)
    {
        var stale = Volatile.Read(ref _flushesAhead) > 0;
        given = output;
        if (output.TryGetAudio(out var frame))
        {
            Volatile.Write(ref _framesTaken, _framesTaken + 1);
            if (stale)
            {
                frame.Dispose();
                metrics.FramesDropped.Add(1, BargeInDrop);
                return false;
            }
            if (!reportsPlayed)
            {
                Played(frame.ItemId, frame.ItemEndMs);
            }
            return true;
        }
        switch (output.Event)
        {
            case SpokenPiece spoken:
                if (stale)
                {
                    return false;
                }
                spoken.Turn.HeardChars = spoken.TextEnd;
                if (!string.IsNullOrWhiteSpace(spoken.Piece.Text))
                {
                    Volatile.Write(ref _wordTakenItem, spoken.Turn.ItemId);
                }
                if (spoken.Piece.IsFinal)
                {
                    spoken.Turn.FinalHeard = true;
                    _heardTurns.Enqueue(spoken.Turn);
                    spoken.Turn.WhenHeard?.Invoke();
                }
                given = spoken.Piece;
                return true;
            case FlushOutput when stale:
                Interlocked.Decrement(ref _flushesAhead);
                return true;
            default:
                return true;
        }
    }

    /// <summary>
    /// The transport's report of what was played (ignored unless it reports): the one writer of the position then, one
    /// report at a time. The position only moves forward: a report behind the one before for the same item, or for an
    /// item reported before the current one (a late echo), is ignored. A report beyond the audio written is clamped
    /// at the barge-in (<see cref="FirstNotTaken"/>): a transport cannot have played what it was never given.
    /// </summary>
    public void ReportPlayed(string itemId, double endMs)
    {
        if (!reportsPlayed)
        {
            return;
        }
        var taken = _taken;
        if (taken is not null && taken.ItemId == itemId)
        {
            if (endMs > Volatile.Read(ref taken.EndMs))
            {
                Volatile.Write(ref taken.EndMs, endMs);
            }
            return;
        }
        if (Array.IndexOf(_itemsReported, itemId) >= 0)
        {
            return;
        }
        _itemsReported[_reports] = itemId;
        _reports = (_reports + 1) % _itemsReported.Length;
        Played(itemId, endMs);
    }

    private void Played(string? itemId, double endMs)
    {
        var taken = _taken;
        if (taken is not null && taken.ItemId == itemId)
        {
            Volatile.Write(ref taken.EndMs, endMs);
            return;
        }
        // A new item: one object per item, published whole, so a reader of the position never mixes two items.
        Volatile.Write(ref _taken, new TakenItem(itemId, endMs));
    }

    private (string? ItemId, double PlayedMs) FirstNotTaken(TakenItem? taken, string? nextQueuedItem)
    {
        if (taken is null)
        {
            return (_written.Count > 0 ? _written[0].ItemId : nextQueuedItem, 0);
        }
        var takenMs = Volatile.Read(ref taken.EndMs);
        var at = _written.FindIndex(w => w.ItemId == taken.ItemId);
        if (at < 0 && _written.Count > 0)
        {
            return (_written[0].ItemId, 0); // written since the last barge-in: none of it was taken
        }
        if (at >= 0 && takenMs < _written[at].EndMs)
        {
            return (taken.ItemId, takenMs); // the item being heard goes on in the channel
        }
        if (at >= 0 && at + 1 < _written.Count)
        {
            return (_written[at + 1].ItemId, 0); // the next item had not started for the listener
        }
        // Heard to the end of what was written: never further (a report past it is a transport's mistake).
        return nextQueuedItem is not null && nextQueuedItem != taken.ItemId ? (nextQueuedItem, 0)
            : (taken.ItemId, at >= 0 ? Math.Min(takenMs, _written[at].EndMs) : takenMs);
    }

    /// <summary>The item whose audio the reader took last, and where in it the last frame taken ends.</summary>
    private sealed class TakenItem(string? itemId, double endMs)
    {
        public readonly string? ItemId = itemId;
        public double EndMs = endMs;
    }
}
