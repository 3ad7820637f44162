using System.Text.Json;
using System.Text.Json.Nodes;
using V2V.Simulator.Audio;
using V2V.Simulator.Protocol;
using V2V.Simulator.Turns;
using RealtimeConversationItem = V2V.Realtime.Protocol.Models.RealtimeConversationItem;

namespace V2V.Simulator.Session;

/// <summary>
/// The client's edits of the conversation (<c>conversation.item.create/delete/retrieve/truncate</c>) and the user
/// turns that join it, as the service answers them: each call returns the events to send or the error, and
/// changes the conversation only when it is not refused. Nothing is sent here.
/// </summary>
internal sealed class ConversationEditor(SessionConfig config, Conversation conversation)
{
    private DialectProfile Profile => config.Profile;

    /// <summary>A committed user turn becomes an audio item: <c>input_audio_buffer.committed</c>, then the item's events.</summary>
    public (ContentPart Part, IReadOnlyList<JsonObject> Events) AddUserTurn(TurnCommit commit)
    {
        var part = new ContentPart { Kind = ContentKind.InputAudio, Audio = commit.Audio };
        var item = new ConversationItem { Id = commit.ItemId, Type = "message", Role = "user" };
        item.Content.Add(part);
        var previous = conversation.Insert(item, null);
        List<JsonObject> events = [new JsonObject { ["type"] = "input_audio_buffer.committed", ["previous_item_id"] = previous, ["item_id"] = commit.ItemId }];
        events.AddRange(Announce(item, previous));
        return (part, events);
    }

    public Reply Create(JsonElement root, string? eventId)
    {
        string? previous = null;
        if (root.TryGetProperty("previous_item_id", out var p) && p.ValueKind == JsonValueKind.String)
        {
            previous = p.GetString();
            if (previous != "root" && conversation.Find(previous!) is null)
            {
                return Reply.Refused(RealtimeError.Invalid("item_not_found", $"Previous item with item_id '{previous}' not found.", "previous_item_id", eventId));
            }
        }

        var json = root.GetProperty("item");
        var givenId = json.TryGetProperty("id", out var id) ? id.GetString() : null;
        if (givenId is { Length: > RealtimeConversationItem.MaxIdLength })
        {
            // A GUID (36) or a prefixed one is too long: the service refuses the item and the client's context lacks it.
            return Reply.Refused(RealtimeError.Invalid("string_above_max_length",
                $"Invalid 'item.id': string too long. Expected a string with maximum length {RealtimeConversationItem.MaxIdLength}, but got a string with length {givenId.Length} instead.", "item.id", eventId));
        }

        if (givenId is not null && conversation.Find(givenId) is not null)
        {
            return Reply.Refused(RealtimeError.Invalid("item_already_exists", $"Item with item_id '{givenId}' already exists.", "item.id", eventId));
        }

        ConversationItem item;
        try
        {
            item = ConversationItemParser.Parse(json, config.InputFormat);
        }
        catch (FormatException e)
        {
            return Reply.Refused(RealtimeError.Invalid("invalid_value", e.Message, "item", eventId));
        }

        if (item.Type == "function_call_output" && !conversation.Items.Any(i => i.Type == "function_call" && i.CallId == item.CallId))
        {
            // The service checks that the call being answered is in the conversation (a new connection has only what the
            // client created on it); its words, as clients have logged them.
            return Reply.Refused(RealtimeError.Invalid("invalid_tool_call_id", $"Tool call ID '{item.CallId}' not found in conversation.", null, eventId));
        }

        if (item.Type == "mcp_approval_response" && Mcp.McpApprovalRules.Check(item, conversation) is { } unanswerable)
        {
            return Reply.Refused(unanswerable.ToError(eventId));
        }

        var after = conversation.Insert(item, previous == "root" ? null : previous);
        if (previous == "root")
        {
            // "root" puts the item first.
            conversation.Remove(item.Id);
            conversation.InsertFirst(item);
            after = null;
        }

        return new Reply(Announce(item, after));
    }

    public Reply Delete(string itemId, string? eventId) => conversation.Remove(itemId)
        ? new Reply([new JsonObject { ["type"] = "conversation.item.deleted", ["item_id"] = itemId }])
        : Reply.Refused(NotFound(itemId, eventId));

    public Reply Retrieve(string itemId, string? eventId) => conversation.Find(itemId) is { } item
        ? new Reply([new JsonObject { ["type"] = "conversation.item.retrieved", ["item"] = item.ToJson(Profile, AudioOf) }])
        : Reply.Refused(NotFound(itemId, eventId));

    /// <summary>A part's audio as it stands (a truncated one up to its cut), base64 in the session's format for its direction.</summary>
    private string? AudioOf(ContentPart part) => part.Audio is { } samples
        ? Convert.ToBase64String(Pcm.Encode(samples.AsSpan(0, part.AudioSamples), part.Kind == ContentKind.InputAudio ? config.InputFormat : config.OutputFormat))
        : null;

    /// <summary>
    /// Trims an assistant audio part to what the listener heard. As the service does, the server-side transcript of
    /// the part is deleted, so the context holds no text the user did not hear: what was heard is for the client,
    /// which alone knows its playout, to keep.
    /// </summary>
    public Reply Truncate(JsonElement root, string? eventId)
    {
        var itemId = root.GetProperty("item_id").GetString()!;
        var contentIndex = root.GetProperty("content_index").GetInt32();
        var audioEndMs = root.GetProperty("audio_end_ms").GetInt32();
        if (conversation.Find(itemId) is not { } item)
        {
            return Reply.Refused(NotFound(itemId, eventId));
        }

        if (item.Type != "message" || item.Role != "assistant")
        {
            return Reply.Refused(RealtimeError.Invalid("invalid_value", "Only model output audio messages can be truncated", "item_id", eventId));
        }

        if (contentIndex < 0 || contentIndex >= item.Content.Count || item.Content[contentIndex].Kind != ContentKind.OutputAudio)
        {
            return Reply.Refused(RealtimeError.Invalid("invalid_value", $"Content part {contentIndex} of item '{itemId}' is not audio.", "content_index", eventId));
        }

        var part = item.Content[contentIndex];
        if (audioEndMs < 0 || audioEndMs > part.HeldMs)
        {
            return Reply.Refused(RealtimeError.Invalid("invalid_value", $"Audio content of {part.HeldMs}ms is already shorter than {audioEndMs}ms", "audio_end_ms", eventId));
        }

        part.TruncateAt(audioEndMs * Pcm.SamplesPerMs);
        return new Reply([new JsonObject
        {
            ["type"] = "conversation.item.truncated",
            ["item_id"] = itemId,
            ["content_index"] = contentIndex,
            ["audio_end_ms"] = audioEndMs,
        }]);
    }

    /// <summary>Tells that a complete item joined the conversation, in the dialect's events.</summary>
    private List<JsonObject> Announce(ConversationItem item, string? previous)
    {
        List<JsonObject> events = [new JsonObject { ["type"] = Profile.ItemAddedEvent, ["previous_item_id"] = previous, ["item"] = item.ToJson(Profile) }];
        if (Profile.SendsItemDone)
        {
            events.Add(new JsonObject { ["type"] = "conversation.item.done", ["previous_item_id"] = previous, ["item"] = item.ToJson(Profile) });
        }

        return events;
    }

    private static RealtimeError NotFound(string itemId, string? eventId) =>
        RealtimeError.Invalid("item_not_found", $"Item with item_id '{itemId}' not found.", "item_id", eventId);
}
