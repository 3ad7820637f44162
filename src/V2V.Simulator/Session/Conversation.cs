namespace V2V.Simulator.Session;

/// <summary>
/// The default conversation, in order. Bounded: at most <see cref="MaxItems"/> items (the oldest leave first,
/// as old turns leave OpenAI's context) and at most <see cref="MaxAudioSamples"/> of audio held across items
/// (the oldest items lose their audio first, keeping their transcripts).
/// </summary>
internal sealed class Conversation
{
    public const int MaxItems = 1000;

    /// <summary>Thirty minutes of 24 kHz audio (86 MB as pcm16).</summary>
    public const long MaxAudioSamples = 24_000L * 60 * 30;

    private readonly List<ConversationItem> _items = [];

    public string Id { get; } = Protocol.EventIds.Conversation();

    public IReadOnlyList<ConversationItem> Items => _items;

    public ConversationItem? Last => _items.Count == 0 ? null : _items[^1];

    public ConversationItem? Find(string id) => _items.Find(i => i.Id == id);

    public int IndexOf(string id) => _items.FindIndex(i => i.Id == id);

    /// <summary>Adds an item after <paramref name="previousItemId"/> (null: at the end) and returns the id before it.</summary>
    public string? Insert(ConversationItem item, string? previousItemId)
    {
        var index = previousItemId is null ? _items.Count : IndexOf(previousItemId) + 1;
        _items.Insert(index, item);
        var previous = index == 0 ? null : _items[index - 1].Id;
        Trim();
        return previous;
    }

    public void InsertFirst(ConversationItem item) => _items.Insert(0, item);

    public bool Remove(string id) => _items.RemoveAll(i => i.Id == id) > 0;

    /// <summary>Re-applies the audio bound after an item's audio grew.</summary>
    public void Trim()
    {
        while (_items.Count > MaxItems)
        {
            _items.RemoveAt(0);
        }

        var total = _items.Sum(i => i.Content.Sum(p => (long)p.AudioSamples));
        for (var i = 0; i < _items.Count && total > MaxAudioSamples; i++)
        {
            foreach (var part in _items[i].Content.Where(p => p.Audio is not null))
            {
                total -= part.AudioSamples;
                part.Audio = null;
            }
        }
    }
}
