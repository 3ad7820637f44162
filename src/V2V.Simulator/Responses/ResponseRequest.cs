using System.Text.Json;
using System.Text.Json.Nodes;
using V2V.Simulator.Protocol;
using V2V.Simulator.Session;

namespace V2V.Simulator.Responses;

/// <summary>What a <c>response.create</c> asks beyond the session's defaults.</summary>
internal sealed record ResponseRequest(List<string>? Modalities, bool OutOfBand, JsonNode? Metadata, List<string> InputTexts, string? Instructions = null)
{
    public static readonly ResponseRequest Default = new(null, false, null, []);

    /// <summary>The limit of the request's own output tokens, checked as the session's is: null when accepted.</summary>
    public static InvalidParam? CheckLimits(JsonElement root, bool ga)
    {
        var maxTokensName = ga ? "max_output_tokens" : "max_response_output_tokens";
        return root.TryGetProperty("response", out var r) && r.ValueKind == JsonValueKind.Object && r.TryGetProperty(maxTokensName, out var max)
            ? MaxOutputTokens.Check(max, $"response.{maxTokensName}")
            : null;
    }

    public static ResponseRequest Parse(JsonElement root, bool ga)
    {
        if (!root.TryGetProperty("response", out var r) || r.ValueKind != JsonValueKind.Object)
        {
            return Default;
        }

        List<string>? modalities = r.TryGetProperty(ga ? "output_modalities" : "modalities", out var m)
            ? m.EnumerateArray().Select(x => x.GetString()!).ToList()
            : null;
        var outOfBand = r.TryGetProperty("conversation", out var c) && c.GetString() == "none";
        var metadata = r.TryGetProperty("metadata", out var md) && md.ValueKind == JsonValueKind.Object ? JsonNode.Parse(md.GetRawText()) : null;

        // Input given with the request (out-of-band answers): its text parts are what the agent answers.
        var texts = new List<string>();
        if (r.TryGetProperty("input", out var input) && input.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in input.EnumerateArray())
            {
                if (item.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.Array)
                {
                    texts.AddRange(content.EnumerateArray()
                        .Where(p => p.TryGetProperty("text", out _))
                        .Select(p => p.GetProperty("text").GetString() ?? string.Empty));
                }
            }
        }

        var instructions = r.TryGetProperty("instructions", out var ins) && ins.ValueKind == JsonValueKind.String ? ins.GetString() : null;
        return new ResponseRequest(modalities, outOfBand, metadata, texts, instructions);
    }
}
