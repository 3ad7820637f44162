namespace V2V.Voice.Conversation;

/// <summary>
/// The ids of responses cancelled by barge-in, whose late deltas must be dropped. Bounded: the oldest id is
/// forgotten first (a response cancelled that long ago has long stopped sending).
/// </summary>
internal sealed class CancelledResponses(int capacity = 64)
{
    private readonly Queue<string> _order = new();
    private readonly HashSet<string> _ids = new(StringComparer.Ordinal);

    public void Add(string responseId)
    {
        if (!_ids.Add(responseId))
        {
            return;
        }
        _order.Enqueue(responseId);
        if (_order.Count > capacity)
        {
            _ids.Remove(_order.Dequeue());
        }
    }

    public bool Contains(string? responseId) => responseId is not null && _ids.Contains(responseId);

    public int Count => _ids.Count;
}
