using V2V.Realtime.Protocol.Models;

namespace V2V.Voice.Conversation;

/// <summary>
/// The last turns of the conversation as items that can be created again on a new connection: user and
/// assistant messages as text, function calls with their outputs, in the order of the conversation. Bounded by a
/// number of turns (a message is a turn; a function call and its output ride with the turn they belong to).
/// </summary>
/// <remarks>
/// A user's spoken turn is in the conversation once committed, but its words come later (the service transcribes
/// it after the answer has begun, and a tool call or the whole answer may come first): its place is kept at the
/// commit and filled when the transcription comes, so that the question is never replayed after its answer.
/// </remarks>
internal sealed class ConversationHistory(int maxTurns)
{
    private readonly LinkedList<RealtimeConversationItem> _items = new();
    private readonly Dictionary<string, LinkedListNode<RealtimeConversationItem>> _awaitingWords = new(StringComparer.Ordinal);
    private int _turns;

    /// <summary>Whether it keeps anything (a <c>max_history</c> of 0 keeps nothing: a new connection starts afresh).</summary>
    public bool Keeps => maxTurns > 0;

    public void AddUser(string text) => AddMessage(RealtimeConversationItem.UserText(text));

    /// <summary>The most images the history keeps for a new connection: an older one is kept as a note (images are large).</summary>
    public const int MaxImages = 2;

    /// <summary>A user message with an image (<see cref="UserImage"/>); beyond <see cref="MaxImages"/>, the oldest image becomes a note.</summary>
    public void AddUserImage(RealtimeConversationItem message)
    {
        AddMessage(message);
        var withImages = new List<LinkedListNode<RealtimeConversationItem>>();
        for (var node = _items.Last; node is not null; node = node.Previous)
        {
            if (UserImage.HasImage(node.Value))
            {
                withImages.Add(node);
            }
        }
        foreach (var old in withImages.Skip(MaxImages))
        {
            old.Value = UserImage.WithoutImages(old.Value);
        }
    }

    /// <summary>The user's spoken turn <paramref name="itemId"/> was committed: its place is kept until its words come.</summary>
    public void KeepPlaceForUser(string itemId)
    {
        if (maxTurns == 0)
        {
            return;
        }
        foreach (var gone in _awaitingWords.Where(p => p.Value.List is null).Select(p => p.Key).ToList())
        {
            _awaitingWords.Remove(gone); // dropped by the bound meanwhile
        }
        AddMessage(RealtimeConversationItem.UserText(string.Empty));
        _awaitingWords[itemId] = _items.Last!;
    }

    /// <summary>The words of the user's spoken turn <paramref name="itemId"/>: in its place when one was kept, else last.</summary>
    public void AddUser(string text, string itemId)
    {
        if (_awaitingWords.Remove(itemId, out var place) && place.List is not null)
        {
            place.Value = RealtimeConversationItem.UserText(text);
            return;
        }
        AddUser(text);
    }

    /// <summary>The user's spoken turn <paramref name="itemId"/> will have no words (its transcription failed): its place goes.</summary>
    public void ForgetPlaceForUser(string itemId)
    {
        if (_awaitingWords.Remove(itemId, out var place) && place.List is not null)
        {
            _items.Remove(place);
            _turns--;
        }
    }

    /// <summary>A new connection: transcriptions the old one still owed will not come.</summary>
    public void ForgetPlacesForUser()
    {
        foreach (var itemId in _awaitingWords.Keys.ToList())
        {
            ForgetPlaceForUser(itemId);
        }
    }

    public void AddAssistant(string text) => AddMessage(RealtimeConversationItem.AssistantText(text));

    public void AddFunctionCall(string callId, string name, string arguments) =>
        AddItem(RealtimeConversationItem.FunctionCall(callId, name, arguments));

    public void AddFunctionOutput(string callId, string output) =>
        AddItem(RealtimeConversationItem.FunctionCallOutput(callId, output));

    /// <summary>
    /// A note of what happened that no item of the client's can replay (an MCP server's call, made by the service): a new
    /// connection reads it as a system message, and does not make the call again. It rides with its turn.
    /// </summary>
    public void AddNote(string text) => AddItem(RealtimeConversationItem.SystemText(text));

    /// <summary>The items to replay, oldest first (a place kept for words still to come is not an item yet).</summary>
    public IReadOnlyList<RealtimeConversationItem> Items
    {
        get
        {
            var items = new List<RealtimeConversationItem>(_items.Count);
            for (var node = _items.First; node is not null; node = node.Next)
            {
                if (_awaitingWords.Count == 0 || !_awaitingWords.ContainsValue(node))
                {
                    items.Add(node.Value);
                }
            }
            return items;
        }
    }

    private void AddMessage(RealtimeConversationItem item)
    {
        if (maxTurns == 0)
        {
            return;
        }
        _items.AddLast(item);
        _turns++;
        while (_turns > maxTurns)
        {
            // Drop the oldest turn and the function items before the next message.
            var dropped = _items.First!.Value;
            _items.RemoveFirst();
            if (dropped.Type == "message")
            {
                _turns--;
                while (_items.First is { } first && first.Value.Type != "message")
                {
                    _items.RemoveFirst();
                }
            }
        }
    }

    private void AddItem(RealtimeConversationItem item)
    {
        if (maxTurns == 0)
        {
            return;
        }
        _items.AddLast(item);
        // A run of function items with no message is bounded too: a model that loops on tools must not grow memory.
        while (_items.Count > 4 * maxTurns + 8)
        {
            _items.RemoveFirst();
        }
    }
}
