using V2V.Ten.Messages;

namespace V2V.Extension.Tests.Support;

/// <summary>
/// What TEN's message_collector makes of text_data (TEN-Agent 35e6581): per stream_id it caches the pieces whose
/// is_final is true or absent, and a piece with end_of_segment publishes the cache plus its text as the final
/// message. Returns the final messages per stream, in order: what a user of the playground sees as whole turns.
/// </summary>
internal static class MessageCollectorModel
{
    public static IReadOnlyList<(long StreamId, string Text)> FinalMessages(IEnumerable<DataMessage> textData)
    {
        var cache = new Dictionary<long, string>();
        var finals = new List<(long, string)>();
        foreach (var data in textData)
        {
            var text = data.GetString("text") ?? "";
            var final = data.GetBool("is_final") ?? true;
            var streamId = data.GetInt64("stream_id") ?? 0;
            if (data.GetBool("end_of_segment") == true)
            {
                finals.Add((streamId, cache.Remove(streamId, out var cached) ? cached + text : text));
            }
            else if (final)
            {
                cache[streamId] = cache.GetValueOrDefault(streamId, "") + text;
            }
        }
        return finals;
    }
}
