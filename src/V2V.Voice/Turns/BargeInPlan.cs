namespace V2V.Voice.Turns;

/// <summary>One <c>conversation.item.truncate</c> to send: the item, its audio part, and what of it was heard.</summary>
internal readonly record struct TruncateOrder(string ItemId, int ContentIndex, int AudioEndMs);

/// <summary>
/// What a barge-in sends besides the flush: the cancel of the response in progress (none when the server has
/// already finished it), and a truncate of each audio item that was not heard to its end.
/// </summary>
internal sealed record BargeInPlan(string? CancelResponseId, IReadOnlyList<TruncateOrder> Truncates);
