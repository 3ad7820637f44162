using System.Text.Json.Nodes;
using V2V.Simulator.Session;

namespace V2V.Simulator.Responses;

/// <summary>
/// Token usage of a response, estimated the way OpenAI prices audio: input audio 10 tokens a second, output audio
/// 20 tokens a second, text 1 token per 4 characters. Nothing is cached locally.
/// </summary>
internal static class Usage
{
    public static JsonObject Estimate(IEnumerable<ConversationItem> input, IEnumerable<ConversationItem> output)
    {
        var (inText, inAudio) = Count(input, audioTokensPerSecond: 10);
        var (outText, outAudio) = Count(output, audioTokensPerSecond: 20);
        return new JsonObject
        {
            ["total_tokens"] = inText + inAudio + outText + outAudio,
            ["input_tokens"] = inText + inAudio,
            ["output_tokens"] = outText + outAudio,
            ["input_token_details"] = new JsonObject
            {
                ["text_tokens"] = inText,
                ["audio_tokens"] = inAudio,
                ["image_tokens"] = 0,
                ["cached_tokens"] = 0,
                ["cached_tokens_details"] = new JsonObject { ["text_tokens"] = 0, ["audio_tokens"] = 0, ["image_tokens"] = 0 },
            },
            ["output_token_details"] = new JsonObject { ["text_tokens"] = outText, ["audio_tokens"] = outAudio },
        };
    }

    private static (int Text, int Audio) Count(IEnumerable<ConversationItem> items, int audioTokensPerSecond)
    {
        long chars = 0, ms = 0;
        foreach (var item in items)
        {
            chars += (item.Arguments?.Length ?? 0) + (item.Output?.Length ?? 0);
            foreach (var part in item.Content)
            {
                chars += (part.Text?.Length ?? 0) + (part.Transcript?.Length ?? 0);
                ms += part.AudioMs;
            }
        }

        return ((int)((chars + 3) / 4), (int)((ms * audioTokensPerSecond + 999) / 1000));
    }
}
