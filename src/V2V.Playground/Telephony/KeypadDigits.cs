namespace V2V.Playground.Telephony;

/// <summary>
/// The caller's keypad, gathered into one entry: digits until <c>#</c>, or until <see cref="Pause"/> passes without a
/// key; then the entry goes to the agent as one user text (one answer, not one per key, each cutting off the last).
/// Threads: the call's reader adds, a timer takes; a lock, as keys come a few a second. At most
/// <see cref="MaxDigits"/> kept (a stuck key is not an unbounded string); beyond that the entry is sent as it is.
/// </summary>
internal sealed class KeypadDigits : IDisposable
{
    public const int MaxDigits = 32;
    public static readonly TimeSpan Pause = TimeSpan.FromSeconds(2);

    private readonly object _gate = new();
    private readonly System.Text.StringBuilder _digits = new();
    private readonly Action<string> _entered;
    private readonly Timer _timer;

    /// <param name="entered">Called with each whole entry (never empty), from the reader's thread or the timer's.</param>
    public KeypadDigits(Action<string> entered)
    {
        _entered = entered;
        _timer = new Timer(_ => Flush(), null, Timeout.Infinite, Timeout.Infinite);
    }

    /// <summary>The text the agent gets for an entry.</summary>
    public static string Describe(string digits) => $"The caller pressed {digits} on the phone's keypad.";

    /// <summary>A key (<c>0</c>-<c>9</c>, <c>*</c>, <c>#</c>); false when it is none of those.</summary>
    public bool Add(string? key)
    {
        if (key is not { Length: 1 } || !(char.IsAsciiDigit(key[0]) || key[0] is '*' or '#'))
        {
            return false;
        }
        bool complete;
        lock (_gate)
        {
            if (key[0] != '#')
            {
                _digits.Append(key[0]);
            }
            complete = key[0] == '#' || _digits.Length >= MaxDigits;
            _timer.Change(complete ? Timeout.InfiniteTimeSpan : Pause, Timeout.InfiniteTimeSpan);
        }
        if (complete)
        {
            Flush();
        }
        return true;
    }

    public void Dispose() => _timer.Dispose();

    private void Flush()
    {
        string digits;
        lock (_gate)
        {
            digits = _digits.ToString();
            _digits.Clear();
        }
        if (digits.Length > 0)
        {
            _entered(digits);
        }
    }
}
