using System.Text.Json;
using System.Text.Json.Nodes;
using V2V.Simulator.Audio;
using V2V.Simulator.Protocol;

namespace V2V.Simulator.Session;

/// <summary>Conversation items: create, delete, retrieve, truncate.</summary>
internal sealed partial class RealtimeSession
{
    private async Task CreateItemAsync(JsonElement root, string? eventId)
    {
        string? previous = null;
        if (root.TryGetProperty("previous_item_id", out var p) && p.ValueKind == JsonValueKind.String)
        {
            previous = p.GetString();
            if (previous != "root" && _conversation.Find(previous!) is null)
            {
                await SendErrorAsync(RealtimeError.Invalid("item_not_found", $"Previous item with item_id '{previous}' not found.", "previous_item_id", eventId)).ConfigureAwait(false);
                return;
            }
        }

        var json = root.GetProperty("item");
        if (json.TryGetProperty("id", out var id) && id.GetString() is { } existing && _conversation.Find(existing) is not null)
        {
            await SendErrorAsync(RealtimeError.Invalid("item_already_exists", $"Item with item_id '{existing}' already exists.", "item.id", eventId)).ConfigureAwait(false);
            return;
        }

        ConversationItem item;
        try
        {
            item = ParseItem(json);
        }
        catch (FormatException e)
        {
            await SendErrorAsync(RealtimeError.Invalid("invalid_value", e.Message, "item", eventId)).ConfigureAwait(false);
            return;
        }

        var after = _conversation.Insert(item, previous == "root" ? null : previous);
        if (previous == "root")
        {
            // "root" puts the item first.
            _conversation.Remove(item.Id);
            _conversation.InsertFirst(item);
            after = null;
        }

        await AnnounceItemAsync(item, after).ConfigureAwait(false);
    }

    private ConversationItem ParseItem(JsonElement json)
    {
        var type = json.TryGetProperty("type", out var t) ? t.GetString() ?? "message" : "message";
        string? Get(string name) => json.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        var id = Get("id") ?? EventIds.Item();
        switch (type)
        {
            case "function_call":
                return new ConversationItem { Id = id, Type = type, CallId = Get("call_id") ?? EventIds.Call(), Name = Get("name"), Arguments = Get("arguments") ?? "{}" };
            case "function_call_output":
                return new ConversationItem { Id = id, Type = type, CallId = Get("call_id"), Output = Get("output") ?? string.Empty };
            case "message":
                break;
            default:
                throw new FormatException($"The local realtime server does not accept items of type '{type}'.");
        }

        var item = new ConversationItem { Id = id, Type = "message", Role = Get("role") ?? "user" };
        if (json.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.Array)
        {
            foreach (var c in content.EnumerateArray())
            {
                var partType = c.TryGetProperty("type", out var pt) ? pt.GetString() : null;
                var text = c.TryGetProperty("text", out var tx) ? tx.GetString() : null;
                var transcript = c.TryGetProperty("transcript", out var tr) ? tr.GetString() : null;
                short[]? audio = c.TryGetProperty("audio", out var au) && au.ValueKind == JsonValueKind.String
                    ? Pcm.Decode(au.GetBytesFromBase64(), _config.InputFormat)
                    : null;
                item.Content.Add(partType switch
                {
                    "input_text" => new ContentPart { Kind = ContentKind.InputText, Text = text },
                    "input_audio" => new ContentPart { Kind = ContentKind.InputAudio, Audio = audio, Transcript = transcript },
                    "text" or "output_text" => new ContentPart { Kind = ContentKind.OutputText, Text = text },
                    "audio" or "output_audio" => new ContentPart { Kind = ContentKind.OutputAudio, Audio = audio, Transcript = transcript },
                    _ => throw new FormatException($"The local realtime server does not accept content of type '{partType}'."),
                });
            }
        }

        return item;
    }

    private async Task DeleteItemAsync(string itemId, string? eventId)
    {
        if (!_conversation.Remove(itemId))
        {
            await SendErrorAsync(NotFound(itemId, eventId)).ConfigureAwait(false);
            return;
        }

        await SendAsync(new JsonObject { ["type"] = "conversation.item.deleted", ["item_id"] = itemId }).ConfigureAwait(false);
    }

    private async Task RetrieveItemAsync(string itemId, string? eventId)
    {
        if (_conversation.Find(itemId) is not { } item)
        {
            await SendErrorAsync(NotFound(itemId, eventId)).ConfigureAwait(false);
            return;
        }

        await SendAsync(new JsonObject { ["type"] = "conversation.item.retrieved", ["item"] = item.ToJson(Profile) }).ConfigureAwait(false);
    }

    /// <summary>
    /// Trims an assistant audio part to what the listener heard. As the service does, the server-side transcript of
    /// the part is deleted, so the context holds no text the user did not hear: what was heard is for the client,
    /// which alone knows its playout, to keep.
    /// </summary>
    private async Task TruncateAsync(JsonElement root, string? eventId)
    {
        var itemId = root.GetProperty("item_id").GetString()!;
        var contentIndex = root.GetProperty("content_index").GetInt32();
        var audioEndMs = root.GetProperty("audio_end_ms").GetInt32();
        if (_conversation.Find(itemId) is not { } item)
        {
            await SendErrorAsync(NotFound(itemId, eventId)).ConfigureAwait(false);
            return;
        }

        if (item.Type != "message" || item.Role != "assistant")
        {
            await SendErrorAsync(RealtimeError.Invalid("invalid_value", "Only assistant messages can be truncated.", "item_id", eventId)).ConfigureAwait(false);
            return;
        }

        if (contentIndex < 0 || contentIndex >= item.Content.Count || item.Content[contentIndex].Kind != ContentKind.OutputAudio)
        {
            await SendErrorAsync(RealtimeError.Invalid("invalid_value", $"Content part {contentIndex} of item '{itemId}' is not audio.", "content_index", eventId)).ConfigureAwait(false);
            return;
        }

        var part = item.Content[contentIndex];
        if (audioEndMs < 0 || audioEndMs > part.AudioMs)
        {
            await SendErrorAsync(RealtimeError.Invalid("invalid_value", $"Audio content of {part.AudioMs}ms is already shorter than {audioEndMs}ms", "audio_end_ms", eventId)).ConfigureAwait(false);
            return;
        }

        part.AudioSamples = Math.Min(part.AudioSamples, audioEndMs * Pcm.SamplesPerMs);
        part.Transcript = string.Empty;
        await SendAsync(new JsonObject
        {
            ["type"] = "conversation.item.truncated",
            ["item_id"] = itemId,
            ["content_index"] = contentIndex,
            ["audio_end_ms"] = audioEndMs,
        }).ConfigureAwait(false);
    }

    private static RealtimeError NotFound(string itemId, string? eventId) =>
        RealtimeError.Invalid("item_not_found", $"Item with item_id '{itemId}' not found.", "item_id", eventId);
}
