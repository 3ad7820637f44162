using System.Text.Json;
using V2V.Simulator.Protocol;
using V2V.Simulator.Vad;

namespace V2V.Simulator.Session;

/// <summary>
/// What the service refuses in a <c>session.update</c> that its schema accepts (the schema, and unknown parameters,
/// were checked before). Pure: it reads the update and the current session and changes nothing, so a refused update
/// is refused whole, before any of it is applied.
/// </summary>
internal static class SessionUpdateRules
{
    /// <summary>The service's range for the beta <c>temperature</c> ("limited to [0.6, 1.2]" in the beta schema's words).</summary>
    public const double MinTemperature = 0.6;

    public const double MaxTemperature = 1.2;

    private static readonly Paths GaPaths = new("audio.output.voice", "max_output_tokens", "audio.input.transcription.model", "audio.input.turn_detection");

    private static readonly Paths BetaPaths = new("voice", "max_response_output_tokens", "input_audio_transcription.model", "turn_detection");

    /// <summary>
    /// Null when the update may be applied, else the first refusal. <paramref name="azure"/>: the session speaks for
    /// Azure, where the transcription model is a deployment name (any name is accepted here).
    /// </summary>
    public static InvalidParam? Check(JsonElement session, SessionConfig current, bool assistantAudioSent, bool azure)
    {
        var ga = current.Profile.IsGa;
        var paths = ga ? GaPaths : BetaPaths;
        if (ga && RefuseTranscription(session) is { } transcription)
        {
            return transcription;
        }

        // The model is fixed when connecting ("any field except for voice and model" may be updated): the same one
        // again is harmless, another is refused (the wording is ours; the service's is not on record).
        if (At(session, "model") is { ValueKind: JsonValueKind.String } modelElement && modelElement.GetString() is { Length: > 0 } asked && asked != current.Model)
        {
            return new("invalid_value", $"Cannot update a session's model: it is '{current.Model}', chosen when connecting. Connect with model '{asked}' to use it.", "session.model");
        }

        if (ga && At(session, "output_modalities") is { } modalities && InvalidParam.BothModalities(modalities, "session.output_modalities") is { } both)
        {
            return both;
        }

        if (At(session, paths.Voice) is { ValueKind: JsonValueKind.String } voiceElement)
        {
            var voice = voiceElement.GetString()!;
            if (KnownVoices.Check(voice, Param(paths.Voice)) is { } unknownVoice)
            {
                return unknownVoice;
            }

            if (voice != current.Voice && assistantAudioSent)
            {
                return new("cannot_update_voice", "Cannot update a conversation's voice if assistant audio is present.", Param(paths.Voice));
            }
        }

        // "Once tracing is enabled for a session, the configuration cannot be modified" (the GA schema): the same again is
        // harmless, another is refused (the wording is ours; the service's is not on record).
        if (ga && At(session, "tracing") is { } tracing && current.Passthrough["tracing"] is { } traced
            && !System.Text.Json.Nodes.JsonNode.DeepEquals(System.Text.Json.Nodes.JsonNode.Parse(tracing.GetRawText()), traced))
        {
            return new("invalid_value", "Cannot update a session's tracing configuration once tracing is enabled.", "session.tracing");
        }

        if (ga && Mcp.McpToolRules.Check(session) is { } badMcpTool)
        {
            return badMcpTool;
        }

        if (At(session, paths.MaxOutputTokens) is { } max && MaxOutputTokens.Check(max, Param(paths.MaxOutputTokens)) is { } badMax)
        {
            return badMax;
        }

        if (!ga && At(session, "temperature") is { } temperature
            && NumericLimits.Decimal(temperature, MinTemperature, MaxTemperature, "session.temperature") is { } badTemperature)
        {
            return badTemperature;
        }

        if (At(session, paths.TranscriptionModel) is { ValueKind: JsonValueKind.String } model
            && TranscriptionModels.Check(azure, model.GetString()!, Param(paths.TranscriptionModel)) is { } badModel)
        {
            return badModel;
        }

        return At(session, paths.TurnDetection) is { } turnDetection ? TurnDetectionLimits.Check(turnDetection, Param(paths.TurnDetection)) : null;
    }

    /// <summary>A GA session of type <c>transcription</c>, which this server does not run; null for any other.</summary>
    public static InvalidParam? RefuseTranscription(JsonElement session) =>
        At(session, "type") is { ValueKind: JsonValueKind.String } type && type.GetString() == "transcription"
            ? new("unsupported_session_type", "This local realtime server does not run transcription sessions: ask for a session of type 'realtime'.", "session.type")
            : null;

    private static string Param(string path) => $"session.{path}";

    private static JsonElement? At(JsonElement e, string path)
    {
        foreach (var name in path.Split('.'))
        {
            if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty(name, out e))
            {
                return null;
            }
        }

        return e;
    }

    /// <summary>Where each checked field sits in the dialect's session object (dotted, under <c>session</c>).</summary>
    private sealed record Paths(string Voice, string MaxOutputTokens, string TranscriptionModel, string TurnDetection);
}
