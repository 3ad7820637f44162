using V2V.Realtime.Protocol.Models;

namespace V2V.Voice.Conversation;

/// <summary>
/// The last turns of the conversation as items that can be created again on a new connection: user and
/// assistant messages as text, function calls with their outputs. Bounded by a number of turns (a message
/// is a turn; a function call and its output ride with the turn they belong to).
/// </summary>
internal sealed class ConversationHistory(int maxTurns)
{
    private readonly LinkedList<RealtimeConversationItem> _items = new();
    private int _turns;

    /// <summary>Whether it keeps anything (a <c>max_history</c> of 0 keeps nothing: a new connection starts afresh).</summary>
    public bool Keeps => maxTurns > 0;

    public void AddUser(string text) => AddMessage(RealtimeConversationItem.UserText(text));

    public void AddAssistant(string text) => AddMessage(RealtimeConversationItem.AssistantText(text));

    public void AddFunctionCall(string callId, string name, string arguments) =>
        AddItem(RealtimeConversationItem.FunctionCall(callId, name, arguments));

    public void AddFunctionOutput(string callId, string output) =>
        AddItem(RealtimeConversationItem.FunctionCallOutput(callId, output));

    /// <summary>The items to replay, oldest first.</summary>
    public IReadOnlyList<RealtimeConversationItem> Items => [.. _items];

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
