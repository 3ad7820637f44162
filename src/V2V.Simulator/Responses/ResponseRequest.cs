using System.Text.Json;
using System.Text.Json.Nodes;
using V2V.Simulator.Protocol;
using V2V.Simulator.Session;

namespace V2V.Simulator.Responses;

/// <summary>What a <c>response.create</c> asks beyond the session's defaults.</summary>
/// <param name="Modalities">The output modalities asked for (null: the session's).</param>
/// <param name="OutOfBand"><c>conversation: "none"</c>: the response adds nothing to the conversation.</param>
/// <param name="Metadata">The request's metadata, echoed in its response.</param>
/// <param name="InputTexts">The text parts of the request's own <c>input</c>, when it gave one (null: it did not).</param>
/// <param name="Instructions">Instructions for this response only.</param>
internal sealed record ResponseRequest(List<string>? Modalities, bool OutOfBand, JsonNode? Metadata, List<string>? InputTexts, string? Instructions = null)
{
    public static readonly ResponseRequest Default = new(null, false, null, null);

    /// <summary>The limit of the request's own output tokens, checked as the session's is, and (GA) its modalities: null when accepted.</summary>
    public static InvalidParam? Check(JsonElement root, bool ga)
    {
        if (!root.TryGetProperty("response", out var r) || r.ValueKind != JsonValueKind.Object)
        {
            return null;
        }
        if (ga && r.TryGetProperty("output_modalities", out var modalities) && InvalidParam.BothModalities(modalities, "response.output_modalities") is { } both)
        {
            return both;
        }
        var maxTokensName = ga ? "max_output_tokens" : "max_response_output_tokens";
        return r.TryGetProperty(maxTokensName, out var max) ? MaxOutputTokens.Check(max, $"response.{maxTokensName}") : null;
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

        // Input given with the request (out-of-band answers): a context of its own, whose text parts are what the agent
        // answers; an empty one clears the context ("An empty array [] will clear the context for this Response").
        List<string>? texts = null;
        if (r.TryGetProperty("input", out var input) && input.ValueKind == JsonValueKind.Array)
        {
            texts = [];
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
