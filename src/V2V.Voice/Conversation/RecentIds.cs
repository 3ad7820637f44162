namespace V2V.Voice.Conversation;

/// <summary>
/// A bounded set of recent ids (responses announced, responses cancelled): the oldest id is forgotten first,
/// since a response that old has long stopped sending.
/// </summary>
internal sealed class RecentIds(int capacity = 64)
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
