using V2V.Realtime.Protocol;
using V2V.Realtime.Protocol.Models;
using AIFunctionDeclaration = Microsoft.Extensions.AI.AIFunctionDeclaration;

namespace V2V.Voice;

/// <summary>Builds the session configuration the server is given from the options and the registered tools.</summary>
internal static class SessionConfiguration
{
    /// <summary>A connection's whole configuration, with the instructions of now (<paramref name="instructions"/>: the options', or those given since).</summary>
    public static RealtimeSession Build(VoiceSessionOptions options, string? instructions, IReadOnlyCollection<AIFunctionDeclaration> tools)
    {
        var dialect = options.Connection.Dialect;
        var session = new RealtimeSession
        {
            Instructions = Instructions(options, instructions, tools),
            OutputModalities = options.AudioOut ? (dialect == RealtimeDialect.Beta ? ["text", "audio"] : ["audio"]) : ["text"],
            Audio = new RealtimeSessionAudio
            {
                Input = new RealtimeAudioInput
                {
                    Format = RealtimeAudioFormat.Pcm16,
                    Transcription = options.EffectiveTranscriptionModel is { } model
                        ? new RealtimeTranscription { Model = model, Language = TranscriptionLanguage(options.Language) }
                        : RealtimeTranscription.Disabled,
                    TurnDetection = TurnDetection(options),
                    NoiseReduction = options.NoiseReduction is { } noise ? new RealtimeNoiseReduction { Type = noise } : null,
                },
                Output = new RealtimeAudioOutput
                {
                    Format = RealtimeAudioFormat.Pcm16,
                    Voice = string.IsNullOrWhiteSpace(options.Voice) ? null : new RealtimeVoice(options.Voice),
                    Speed = options.Speed,
                },
            },
            Tools = Tools(tools, options.McpServers),
            ToolChoice = AutoToolChoice,
            MaxOutputTokens = options.MaxTokens is int max ? new RealtimeTokenLimit(max) : RealtimeTokenLimit.Infinite,
            // GA models fix the temperature and refuse the field; beta takes it.
            Temperature = dialect == RealtimeDialect.Beta ? options.Temperature : null,
            Truncation = Truncation(options),
            Reasoning = options.ReasoningEffort is { } effort ? Json(new System.Text.Json.Nodes.JsonObject { ["effort"] = effort }) : default,
            Tracing = options.Tracing is { } tracing ? Json(tracing.ToJson()) : default,
            ParallelToolCalls = options.ParallelToolCalls,
        };
        return session;
    }

    /// <summary>The model chooses whether to call a tool.</summary>
    public static readonly System.Text.Json.JsonElement AutoToolChoice = System.Text.Json.JsonDocument.Parse("\"auto\"").RootElement;

    /// <summary>
    /// The tools as the session configuration describes them: the functions, then the MCP servers (every update of the
    /// tools gives the whole list: a server left out would be dropped).
    /// </summary>
    public static List<RealtimeTool> Tools(IEnumerable<AIFunctionDeclaration> tools, IEnumerable<McpServer> mcpServers) =>
    [
        .. tools.Select(t => new RealtimeTool { Name = t.Name, Description = t.Description, Parameters = t.JsonSchema }),
        .. mcpServers.Select(V2V.Voice.Tools.McpServerTool.ToRealtimeTool),
    ];

    /// <summary>
    /// The instructions with <c>{language}</c>, <c>{model}</c> and <c>{tools}</c> replaced, followed by the previous
    /// conversation when there is one.
    /// </summary>
    public static string? Instructions(VoiceSessionOptions options, IReadOnlyCollection<AIFunctionDeclaration>? tools = null) =>
        Instructions(options, options.Instructions, tools);

    /// <summary>As <see cref="Instructions(VoiceSessionOptions, IReadOnlyCollection{AIFunctionDeclaration})"/>, of <paramref name="template"/> in place of the options'.</summary>
    public static string? Instructions(VoiceSessionOptions options, string? template, IReadOnlyCollection<AIFunctionDeclaration>? tools)
    {
        var instructions = template?
            .Replace("{language}", string.IsNullOrWhiteSpace(options.Language) ? "the user's language" : options.Language, StringComparison.Ordinal)
            .Replace("{model}", options.Connection.Model ?? "", StringComparison.Ordinal)
            .Replace("{tools}", ToolsText(tools ?? []), StringComparison.Ordinal);
        return PreviousConversationText(options) is { } previous ? (instructions is null ? previous : $"{instructions}\n\n{previous}") : instructions;
    }

    // As the TEN original words it (one line per tool); no tools: nothing.
    private static string ToolsText(IReadOnlyCollection<AIFunctionDeclaration> tools) => tools.Count == 0 ? ""
        : "You have several tools that you can get help from:\n" + string.Join("\n", tools.Select(t => $"- ***{t.Name}***: {t.Description}"));

    // The last MaxHistory turns, each cut to a bound, so that a long stored conversation cannot swell the instructions.
    private const int MaxPreviousTurnChars = 2000;

    private static string? PreviousConversationText(VoiceSessionOptions options)
    {
        var turns = options.PreviousConversation.Where(t => !string.IsNullOrWhiteSpace(t.Text)).TakeLast(options.MaxHistory).ToList();
        if (turns.Count == 0)
        {
            return null;
        }
        var lines = turns.Select(t => $"{(t.Role == V2V.Voice.Outputs.TranscriptRole.User ? "user" : "assistant")}: {(t.Text.Length <= MaxPreviousTurnChars ? t.Text : t.Text[..MaxPreviousTurnChars] + "...")}");
        return "Here is the transcript of your previous conversation with this user; refer back to it only when appropriate:\n" + string.Join("\n", lines);
    }

    private static RealtimeTurnDetection TurnDetection(VoiceSessionOptions options) => options.TurnMode switch
    {
        TurnMode.ServerVad => new RealtimeTurnDetection
        {
            Type = "server_vad",
            Threshold = options.VadThreshold,
            PrefixPaddingMs = options.VadPrefixPaddingMs,
            SilenceDurationMs = options.VadSilenceDurationMs,
            IdleTimeoutMs = options.IdleTimeoutIsTheServices ? (int)options.IdleTimeout!.Value.TotalMilliseconds : null,
            CreateResponse = true,
            InterruptResponse = true,
        },
        TurnMode.SemanticVad => new RealtimeTurnDetection
        {
            Type = "semantic_vad", Eagerness = options.SemanticVadEagerness, CreateResponse = true, InterruptResponse = true,
        },
        _ => RealtimeTurnDetection.Disabled,
    };

    // Unset (the default JsonElement) is not written: the service truncates as it does by default (auto).
    private static System.Text.Json.JsonElement Truncation(VoiceSessionOptions options)
    {
        if (options.RetentionRatio is not { } ratio)
        {
            return default;
        }
        var truncation = new System.Text.Json.Nodes.JsonObject { ["type"] = "retention_ratio", ["retention_ratio"] = ratio };
        if (options.TruncationTokenLimit is { } limit)
        {
            truncation["token_limits"] = new System.Text.Json.Nodes.JsonObject { ["post_instructions"] = limit };
        }
        return Json(truncation);
    }

    private static System.Text.Json.JsonElement Json(System.Text.Json.Nodes.JsonNode value)
    {
        using var json = System.Text.Json.JsonDocument.Parse(value.ToJsonString());
        return json.RootElement.Clone();
    }

    // Transcription takes ISO-639-1 ("zh"), while the product's language property is often a locale ("zh-CN").
    private static string? TranscriptionLanguage(string? language) =>
        string.IsNullOrWhiteSpace(language) ? null : language.Split('-', '_')[0].ToLowerInvariant();
}
