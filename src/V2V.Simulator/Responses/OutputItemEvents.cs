using System.Text.Json.Nodes;
using V2V.Simulator.Protocol;
using V2V.Simulator.Session;

namespace V2V.Simulator.Responses;

/// <summary>
/// The events that open and close a response's output items, in the service's order, with the state they tell
/// (the response's open item, the item in the conversation). The streamer opens and completes items; the
/// lifecycle closes the open one as <c>incomplete</c> when a response ends early. Nothing is sent here.
/// </summary>
internal sealed class OutputItemEvents(DialectProfile profile, Conversation conversation)
{
    public DialectProfile Profile => profile;

    /// <summary>
    /// Opens an output item: <c>response.output_item.added</c>, then the conversation's event (GA
    /// <c>conversation.item.added</c>, beta <c>conversation.item.created</c>), then the content part's.
    /// </summary>
    public List<JsonObject> Open(ActiveResponse r, int index, ConversationItem item, ContentPart? part, JsonObject? partJson)
    {
        r.Output.Add(item);
        r.OpenItem = item;
        r.OpenIndex = index;
        r.OpenPart = part;
        List<JsonObject> events = [new JsonObject { ["type"] = "response.output_item.added", ["response_id"] = r.Id, ["output_index"] = index, ["item"] = item.ToJson(profile) }];
        if (!r.OutOfBand)
        {
            var previous = conversation.Insert(item, null);
            events.Add(new JsonObject { ["type"] = profile.ItemAddedEvent, ["previous_item_id"] = previous, ["item"] = item.ToJson(profile) });
        }

        if (partJson is not null)
        {
            events.Add(Part("response.content_part.added", r, index, item, partJson));
        }

        return events;
    }

    /// <summary>
    /// Closes the open item, if any, with <paramref name="status"/>: its part's done events when it has one, then
    /// <c>response.output_item.done</c>, then (GA, in the conversation) <c>conversation.item.done</c>.
    /// </summary>
    public List<JsonObject> CloseOpen(ActiveResponse r, string status)
    {
        if (r.OpenItem is not { } item)
        {
            return [];
        }

        var index = r.OpenIndex;
        List<JsonObject> events = [];
        switch (r.OpenPart)
        {
            case { Kind: ContentKind.OutputAudio } audio:
                events.Add(Ids(new JsonObject { ["type"] = profile.AudioDone }, r, index, item));
                events.Add(Ids(new JsonObject { ["type"] = profile.AudioTranscriptDone, ["transcript"] = audio.Transcript }, r, index, item));
                events.Add(Part("response.content_part.done", r, index, item, new JsonObject { ["type"] = "audio", ["transcript"] = audio.Transcript }));
                break;
            case { } text:
                events.Add(Ids(new JsonObject { ["type"] = profile.TextDone, ["text"] = text.Text }, r, index, item));
                events.Add(Part("response.content_part.done", r, index, item, new JsonObject { ["type"] = "text", ["text"] = text.Text }));
                break;
        }

        r.OpenItem = null;
        r.OpenPart = null;
        item.Status = status;
        events.Add(new JsonObject { ["type"] = "response.output_item.done", ["response_id"] = r.Id, ["output_index"] = index, ["item"] = item.ToJson(profile) });
        if (!r.OutOfBand && profile.SendsItemDone)
        {
            var previous = conversation.IndexOf(item.Id) is > 0 and var at ? conversation.Items[at - 1].Id : null;
            events.Add(new JsonObject { ["type"] = "conversation.item.done", ["previous_item_id"] = previous, ["item"] = item.ToJson(profile) });
        }

        return events;
    }

    /// <summary>Characters of a call's arguments per delta (function and MCP calls alike), as the service streams them.</summary>
    private const int ArgumentsDeltaChars = 16;

    /// <summary>A call's arguments in the pieces its <c>*_arguments.delta</c> events carry, in order.</summary>
    public static IEnumerable<string> ArgumentDeltas(string arguments)
    {
        for (var at = 0; at < arguments.Length; at += ArgumentsDeltaChars)
        {
            yield return arguments.Substring(at, Math.Min(ArgumentsDeltaChars, arguments.Length - at));
        }
    }

    /// <summary>A delta of the item's content part (audio, transcript or text).</summary>
    public static JsonObject Delta(string type, ActiveResponse r, int index, ConversationItem item, string delta)
    {
        var evt = Ids(new JsonObject { ["type"] = type }, r, index, item);
        evt["delta"] = delta;
        return evt;
    }

    private static JsonObject Part(string type, ActiveResponse r, int index, ConversationItem item, JsonObject part)
    {
        var evt = Ids(new JsonObject { ["type"] = type }, r, index, item);
        evt["part"] = part;
        return evt;
    }

    private static JsonObject Ids(JsonObject evt, ActiveResponse r, int index, ConversationItem item)
    {
        evt["response_id"] = r.Id;
        evt["item_id"] = item.Id;
        evt["output_index"] = index;
        evt["content_index"] = 0;
        return evt;
    }
}
