using System.Text.Json;
using System.Text.Json.Nodes;
using V2V.Simulator.Audio;
using V2V.Simulator.Protocol;

namespace V2V.Simulator.Session;

/// <summary>
/// The <c>item</c> of a <c>conversation.item.create</c> (already checked against the schema) as a conversation item,
/// its audio decoded from the session's input format. What the local server does not serve is a
/// <see cref="FormatException"/> whose message is the error's.
/// </summary>
internal static class ConversationItemParser
{
    public static ConversationItem Parse(JsonElement json, AudioFormat inputFormat)
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
            // The items of remote MCP tools, as the server showed them (a client restoring a conversation gives them back).
            case "mcp_list_tools":
                return new ConversationItem { Id = id, Type = type, ServerLabel = Get("server_label"), Tools = Node(json, "tools") as JsonArray ?? [] };
            case "mcp_call":
                return new ConversationItem
                {
                    Id = id,
                    Type = type,
                    ServerLabel = Get("server_label"),
                    Name = Get("name"),
                    Arguments = Get("arguments") ?? string.Empty,
                    ApprovalRequestId = Get("approval_request_id"),
                    Output = Get("output"),
                    Error = Node(json, "error") as JsonObject,
                };
            case "mcp_approval_request":
                return new ConversationItem { Id = id, Type = type, ServerLabel = Get("server_label"), Name = Get("name"), Arguments = Get("arguments") ?? string.Empty };
            case "mcp_approval_response":
                return new ConversationItem
                {
                    Id = id,
                    Type = type,
                    ApprovalRequestId = Get("approval_request_id"),
                    Approve = json.TryGetProperty("approve", out var approve) && approve.ValueKind == JsonValueKind.True,
                    Reason = Get("reason"),
                };
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
                    ? Pcm.Decode(au.GetBytesFromBase64(), inputFormat)
                    : null;
                item.Content.Add(partType switch
                {
                    "input_text" => new ContentPart { Kind = ContentKind.InputText, Text = text },
                    "input_audio" => new ContentPart { Kind = ContentKind.InputAudio, Audio = audio, Transcript = transcript },
                    "input_image" => new ContentPart
                    {
                        Kind = ContentKind.InputImage,
                        Image = Images.SentImage.Parse(c.TryGetProperty("image_url", out var url) && url.ValueKind == JsonValueKind.String ? url.GetString() : null),
                        Detail = c.TryGetProperty("detail", out var detail) && detail.ValueKind == JsonValueKind.String ? detail.GetString() : "auto",
                    },
                    "text" or "output_text" => new ContentPart { Kind = ContentKind.OutputText, Text = text },
                    "audio" or "output_audio" => new ContentPart { Kind = ContentKind.OutputAudio, Audio = audio, Transcript = transcript },
                    _ => throw new FormatException($"The local realtime server does not accept content of type '{partType}'."),
                });
            }
        }

        return item;
    }

    /// <summary>The JSON value of <paramref name="name"/> as a tree of its own (null when absent or null).</summary>
    private static JsonNode? Node(JsonElement json, string name) =>
        json.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? JsonNode.Parse(value.GetRawText()) : null;
}
