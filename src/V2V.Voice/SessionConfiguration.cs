using V2V.Realtime.Protocol;
using V2V.Realtime.Protocol.Models;
using V2V.Voice.Tools;

namespace V2V.Voice;

/// <summary>Builds the session configuration the server is given from the options and the registered tools.</summary>
internal static class SessionConfiguration
{
    public static RealtimeSession Build(VoiceSessionOptions options, IReadOnlyCollection<VoiceTool> tools)
    {
        var dialect = options.Connection.Dialect;
        var session = new RealtimeSession
        {
            Instructions = Instructions(options),
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
                },
                Output = new RealtimeAudioOutput
                {
                    Format = RealtimeAudioFormat.Pcm16,
                    Voice = string.IsNullOrWhiteSpace(options.Voice) ? null : new RealtimeVoice(options.Voice),
                },
            },
            Tools = [.. tools.Select(t => new RealtimeTool { Name = t.Name, Description = t.Description, Parameters = t.Parameters })],
            ToolChoice = System.Text.Json.JsonDocument.Parse("\"auto\"").RootElement,
            MaxOutputTokens = options.MaxTokens is int max ? new RealtimeTokenLimit(max) : RealtimeTokenLimit.Infinite,
            // GA models fix the temperature and refuse the field; beta takes it.
            Temperature = dialect == RealtimeDialect.Beta ? options.Temperature : null,
        };
        return session;
    }

    /// <summary>The instructions with <c>{language}</c> and <c>{model}</c> replaced.</summary>
    public static string? Instructions(VoiceSessionOptions options) => options.Instructions?
        .Replace("{language}", string.IsNullOrWhiteSpace(options.Language) ? "the user's language" : options.Language, StringComparison.Ordinal)
        .Replace("{model}", options.Connection.Model ?? "", StringComparison.Ordinal);

    private static RealtimeTurnDetection TurnDetection(VoiceSessionOptions options) => options.TurnMode switch
    {
        TurnMode.ServerVad => new RealtimeTurnDetection
        {
            Type = "server_vad",
            Threshold = options.VadThreshold,
            PrefixPaddingMs = options.VadPrefixPaddingMs,
            SilenceDurationMs = options.VadSilenceDurationMs,
            CreateResponse = true,
            InterruptResponse = true,
        },
        TurnMode.SemanticVad => new RealtimeTurnDetection
        {
            Type = "semantic_vad", Eagerness = options.SemanticVadEagerness, CreateResponse = true, InterruptResponse = true,
        },
        _ => RealtimeTurnDetection.Disabled,
    };

    // Transcription takes ISO-639-1 ("zh"), while the product's language property is often a locale ("zh-CN").
    private static string? TranscriptionLanguage(string? language) =>
        string.IsNullOrWhiteSpace(language) ? null : language.Split('-', '_')[0].ToLowerInvariant();
}
