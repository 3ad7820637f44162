namespace V2V.Graph.BuiltIns.Storage;

/// <summary>
/// One final turn of a conversation as the storage keeps it: who spoke (<c>user</c> or <c>assistant</c>), what was said,
/// and the <c>stream_id</c> it came on. <see cref="Input"/> is named after the <c>input</c> field of TEN's storage format.
/// </summary>
internal sealed record StoredTurn(string Role, string Input, long StreamId);
