using System.Text.Json;
using Microsoft.Extensions.AI;
using V2V.Realtime.Protocol.Models;
using MeaiItem = Microsoft.Extensions.AI.RealtimeConversationItem;
using WireItem = V2V.Realtime.Protocol.Models.RealtimeConversationItem;

namespace V2V.Realtime.Extensions.AI;

/// <summary>
/// Conversation items both ways: a message's text, audio and image (PNG, JPEG) parts as <see cref="TextContent"/> and
/// <see cref="DataContent"/>, a function call as <see cref="FunctionCallContent"/>, its output as
/// <see cref="FunctionResultContent"/>.
/// </summary>
internal static class ConversationItemMapper
{
    private const string PcmMediaType = "audio/pcm";

    public static WireItem ToItem(MeaiItem item)
    {
        if (item.Id is { Length: > WireItem.MaxIdLength } id)
        {
            // Refused here, by name, rather than by the service after the send, with the item missing from the context.
            throw new ArgumentException(
                $"RealtimeConversationItem.Id '{id}' is {id.Length} characters; the realtime service takes item ids of at most {WireItem.MaxIdLength} "
                + "(a GUID is 36): leave it null for the service to give one, or use a shorter id.", nameof(item));
        }
        var contents = item.Contents ?? [];
        if (contents.OfType<FunctionResultContent>().FirstOrDefault() is { } result)
        {
            return WithId(WireItem.FunctionCallOutput(result.CallId, ResultText(result.Result)), item.Id);
        }
        if (contents.OfType<FunctionCallContent>().FirstOrDefault() is { } call)
        {
            var arguments = call.Arguments is null ? "{}" : JsonSerializer.Serialize(call.Arguments, AIJsonUtilities.DefaultOptions);
            return WithId(WireItem.FunctionCall(call.CallId, call.Name, arguments), item.Id);
        }
        var role = item.Role?.Value ?? ChatRole.User.Value;
        var fromModel = role == ChatRole.Assistant.Value;
        var parts = new List<RealtimeContentPart>();
        foreach (var content in contents)
        {
            parts.Add(content switch
            {
                TextContent text => new RealtimeContentPart { Type = fromModel ? RealtimeContentPart.OutputTextType : RealtimeContentPart.InputTextType, Text = text.Text },
                DataContent data when data.HasTopLevelMediaType("audio") => new RealtimeContentPart { Type = RealtimeContentPart.InputAudioType, Audio = Convert.ToBase64String(data.Data.Span) },
                DataContent data when data.MediaType is "image/png" or "image/jpeg" => new RealtimeContentPart { Type = RealtimeContentPart.InputImageType, ImageUrl = data.Uri },
                DataContent data when data.HasTopLevelMediaType("image") => throw new NotSupportedException(
                    $"An image of type {data.MediaType} has no realtime form: the service takes image/png and image/jpeg only. Convert it first."),
                _ => throw new NotSupportedException($"Item content {content.GetType().Name} has no realtime form; use TextContent, audio or image (PNG, JPEG) DataContent, FunctionCallContent or FunctionResultContent."),
            });
        }
        if (parts.Count == 0)
        {
            throw new ArgumentException("RealtimeConversationItem.Contents is empty; give the item a text, audio or function content.", nameof(item));
        }
        return new WireItem { Id = item.Id, Type = "message", Role = role, Content = parts };
    }

    public static MeaiItem ToMeai(WireItem item)
    {
        List<AIContent> contents = item.Type switch
        {
            "function_call" => [new FunctionCallContent(item.CallId ?? "", item.Name ?? "", ParseArguments(item.Arguments)) { RawRepresentation = item }],
            "function_call_output" => [new FunctionResultContent(item.CallId ?? "", item.Output) { RawRepresentation = item }],
            "mcp_call" => McpCall(item),
            _ => [.. (item.Content ?? []).Select(ToContent).OfType<AIContent>()],
        };
        return new MeaiItem(contents, item.Id, item.Role is { } role ? new ChatRole(role) : null) { RawRepresentation = item };
    }

    // A call the service made to a remote MCP server: the call, and its result once it has one.
    private static List<AIContent> McpCall(WireItem item)
    {
        var id = item.Id ?? "";
        List<AIContent> contents = [new McpServerToolCallContent(id, item.Name ?? "", item.ServerLabel) { Arguments = ParseArguments(item.Arguments), RawRepresentation = item }];
        if (item.Output is { } output)
        {
            contents.Add(new McpServerToolResultContent(id) { Outputs = [new TextContent(output)], RawRepresentation = item });
        }
        return contents;
    }

    private static AIContent? ToContent(RealtimeContentPart part)
    {
        if (part.Audio is { } audio)
        {
            return new DataContent(Convert.FromBase64String(audio), PcmMediaType) { RawRepresentation = part };
        }
        if (part.Type == RealtimeContentPart.InputImageType)
        {
            // The service does not send an image back (its items say only that one is there): a data URI when one is given.
            return part.ImageUrl is { } url && url.StartsWith("data:", StringComparison.Ordinal) ? new DataContent(url) { RawRepresentation = part } : null;
        }
        var text = part.Text ?? part.Transcript;
        return text is null ? null : new TextContent(text) { RawRepresentation = part };
    }

    // A string result is the output as it is; anything else is its JSON.
    private static string ResultText(object? result) => result switch
    {
        null => "",
        string text => text,
        JsonElement element => element.GetRawText(),
        _ => JsonSerializer.Serialize(result, AIJsonUtilities.DefaultOptions),
    };

    private static Dictionary<string, object?>? ParseArguments(string? arguments)
    {
        if (string.IsNullOrWhiteSpace(arguments))
        {
            return null;
        }
        try
        {
            return JsonSerializer.Deserialize<Dictionary<string, object?>>(arguments, AIJsonUtilities.DefaultOptions);
        }
        catch (JsonException)
        {
            // The model wrote arguments that are not a JSON object: the raw item still carries them.
            return null;
        }
    }

    private static WireItem WithId(WireItem item, string? id)
    {
        item.Id = id;
        return item;
    }
}
