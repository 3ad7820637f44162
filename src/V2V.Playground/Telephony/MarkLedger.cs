namespace V2V.Playground.Telephony;

/// <summary>
/// Which audio each mark stands for. The call's writer numbers a mark after every media message it sends and notes
/// the item and position the message ends at; Twilio echoes the mark when that audio has been played, so an echo is
/// the listener's exact position. Twilio also echoes the marks a <c>clear</c> dropped: those were never heard, and the
/// ledger refuses them (every mark up to the last one sent before the clear).
/// Threads: the writer notes and clears, the reader looks up. No lock: a ring of slots, each published by its number
/// (written last, read first and again after), so a slot reused while it is read is seen as gone. Bounded: the last
/// <see cref="Capacity"/> marks (80 s of 20 ms messages); an older echo is not found, and the position waits for the next.
/// </summary>
internal sealed class MarkLedger
{
    public const int Capacity = 4096;

    private readonly Slot[] _slots = new Slot[Capacity];
    private long _lastNumber;
    private long _clearedThrough;

    /// <summary>Writer: the next mark's number, standing for audio of <paramref name="itemId"/> up to <paramref name="endMs"/>.</summary>
    public long Note(string? itemId, double endMs)
    {
        var number = _lastNumber + 1;
        ref var slot = ref _slots[number % Capacity];
        Volatile.Write(ref slot.Number, 0);
        slot.ItemId = itemId;
        slot.EndMs = endMs;
        Volatile.Write(ref slot.Number, number);
        Volatile.Write(ref _lastNumber, number);
        return number;
    }

    /// <summary>Writer, as it sends a <c>clear</c>: every mark sent so far stands for audio nobody will hear.</summary>
    public void Cleared() => Volatile.Write(ref _clearedThrough, Volatile.Read(ref _lastNumber));

    /// <summary>Reader: the audio a mark echoed by Twilio stands for; false for a cleared, unknown or forgotten mark.</summary>
    public bool TryPlayed(long number, out string? itemId, out double endMs)
    {
        itemId = null;
        endMs = 0;
        if (number <= Volatile.Read(ref _clearedThrough) || number > Volatile.Read(ref _lastNumber) || number <= 0)
        {
            return false;
        }
        ref var slot = ref _slots[number % Capacity];
        if (Volatile.Read(ref slot.Number) != number)
        {
            return false;
        }
        itemId = slot.ItemId;
        endMs = slot.EndMs;
        return Volatile.Read(ref slot.Number) == number;
    }

    private struct Slot
    {
        public long Number;
        public string? ItemId;
        public double EndMs;
    }
}
