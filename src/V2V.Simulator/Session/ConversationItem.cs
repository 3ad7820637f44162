using System.Text.Json.Nodes;
using V2V.Simulator.Protocol;

namespace V2V.Simulator.Session;

/// <summary>An item of the conversation: a message, a function call or a function call's output.</summary>
internal sealed class ConversationItem
{
    public string Id { get; init; } = EventIds.Item();

    public required string Type { get; init; }

    public string? Role { get; init; }

    public string Status { get; set; } = "completed";

    public List<ContentPart> Content { get; } = [];

    public string? CallId { get; init; }

    public string? Name { get; init; }

    public string? Arguments { get; set; }

    public string? Output { get; init; }

    /// <summary>
    /// The item as the server shows it, in the dialect's names. Audio bytes are left out (as in the service's events),
    /// except where <paramref name="audioOf"/> gives them: <c>conversation.item.retrieved</c> "includes the full content
    /// of the Item, including audio data".
    /// </summary>
    public JsonObject ToJson(DialectProfile profile, Func<ContentPart, string?>? audioOf = null)
    {
        var json = new JsonObject { ["id"] = Id, ["object"] = "realtime.item", ["type"] = Type };
        switch (Type)
        {
            case "message":
                json["status"] = Status;
                json["role"] = Role;
                var content = new JsonArray();
                foreach (var part in Content)
                {
                    var partJson = PartToJson(part, profile);
                    if (audioOf?.Invoke(part) is { } audio)
                    {
                        partJson["audio"] = audio;
                    }

                    content.Add(partJson);
                }

                json["content"] = content;
                break;
            case "function_call":
                json["status"] = Status;
                json["call_id"] = CallId;
                json["name"] = Name;
                json["arguments"] = Arguments ?? string.Empty;
                break;
            default:
                json["call_id"] = CallId;
                json["output"] = Output;
                break;
        }

        return json;
    }

    public static JsonObject PartToJson(ContentPart part, DialectProfile profile)
    {
        var json = new JsonObject();
        switch (part.Kind)
        {
            case ContentKind.InputText:
                json["type"] = "input_text";
                json["text"] = part.Text ?? string.Empty;
                break;
            case ContentKind.InputAudio:
                json["type"] = "input_audio";
                if (part.Transcript is not null)
                {
                    json["transcript"] = part.Transcript;
                }

                break;
            case ContentKind.InputImage:
                // The image is not sent back: the item says what it holds, not its bytes.
                json["type"] = "input_image";
                json["detail"] = part.Detail ?? "auto";
                break;
            case ContentKind.OutputText:
                json["type"] = profile.AssistantTextContent;
                json["text"] = part.Text ?? string.Empty;
                break;
            default:
                json["type"] = profile.AssistantAudioContent;
                json["transcript"] = part.Transcript ?? string.Empty;
                break;
        }

        return json;
    }
}
