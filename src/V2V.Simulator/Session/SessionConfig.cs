using System.Text.Json;
using System.Text.Json.Nodes;
using V2V.Simulator.Audio;
using V2V.Simulator.Protocol;
using V2V.Simulator.Vad;

namespace V2V.Simulator.Session;

/// <summary>
/// The effective session configuration, read from <c>session.update</c> of either dialect (already checked
/// against the schema) and written back in the connection's dialect for <c>session.created/updated</c>.
/// </summary>
internal sealed class SessionConfig
{
    public const string DefaultInstructions =
        "You are the local realtime server's echo agent: you speak back each user turn and describe it.";

    public SessionConfig(DialectProfile profile, string? model, DateTimeOffset expiresAt)
    {
        Profile = profile;
        ExpiresAt = expiresAt.ToUnixTimeSeconds();
        Model = string.IsNullOrEmpty(model) ? profile.DefaultModel : model;
        OutputModalities = profile.IsGa ? ["audio"] : ["text", "audio"];
    }

    public DialectProfile Profile { get; }

    public string Id { get; } = EventIds.Session();

    /// <summary>When the server ends the session (unix seconds), from the session's lifetime.</summary>
    public long ExpiresAt { get; }

    public string Model { get; }

    public string Instructions { get; private set; } = DefaultInstructions;

    public List<string> OutputModalities { get; private set; }

    public string Voice { get; private set; } = "alloy";

    public double Speed { get; private set; } = 1.0;

    public double Temperature { get; private set; } = 0.8;

    public AudioFormat InputFormat { get; private set; } = AudioFormat.Pcm16;

    public AudioFormat OutputFormat { get; private set; } = AudioFormat.Pcm16;

    public TurnDetectionSettings? TurnDetection { get; private set; } = new();

    public JsonNode? InputTranscription { get; private set; }

    public JsonNode? NoiseReduction { get; private set; }

    public JsonArray Tools { get; private set; } = [];

    public JsonNode ToolChoice { get; private set; } = "auto";

    public JsonNode MaxOutputTokens { get; private set; } = "inf";

    /// <summary>GA fields the local agent does not act on but reports back as set (tracing, truncation, ...).</summary>
    public JsonObject Passthrough { get; } = [];

    public bool SpeaksAudio => OutputModalities.Contains("audio");

    /// <summary>Names of the configured function tools.</summary>
    public IEnumerable<string> ToolNames => Tools
        .Select(t => t?["name"]?.GetValue<string>())
        .OfType<string>();

    /// <summary>
    /// Applies a schema-valid <c>session</c> object, or refuses it whole (see <see cref="SessionUpdateRules"/>):
    /// on a refusal nothing of the update is applied and the error to send is returned.
    /// </summary>
    public InvalidParam? Apply(JsonElement session, bool assistantAudioSent, bool azure)
    {
        if (SessionUpdateRules.Check(session, this, assistantAudioSent, azure) is { } refused)
        {
            return refused;
        }

        if (Profile.IsGa)
        {
            ApplyGa(session);
        }
        else
        {
            ApplyBeta(session);
        }

        return null;
    }

    private void ApplyGa(JsonElement s)
    {
        ApplyCommon(s);
        if (s.TryGetProperty("output_modalities", out var m))
        {
            OutputModalities = m.EnumerateArray().Select(x => x.GetString()!).ToList();
        }

        if (TryGet(s, "audio", "input", "format", "type") is { } inFormat)
        {
            InputFormat = AudioFormatNames.FromGa(inFormat.GetString()) ?? InputFormat;
        }

        if (TryGet(s, "audio", "output", "format", "type") is { } outFormat)
        {
            OutputFormat = AudioFormatNames.FromGa(outFormat.GetString()) ?? OutputFormat;
        }

        if (TryGet(s, "audio", "input", "transcription") is { } transcription)
        {
            InputTranscription = NodeOrNull(transcription);
        }

        if (TryGet(s, "audio", "input", "noise_reduction") is { } noise)
        {
            NoiseReduction = NodeOrNull(noise);
        }

        if (TryGet(s, "audio", "input", "turn_detection") is { } td)
        {
            ApplyTurnDetection(td);
        }

        if (TryGet(s, "audio", "output", "voice") is { ValueKind: JsonValueKind.String } voice)
        {
            Voice = voice.GetString()!;
        }

        if (TryGet(s, "audio", "output", "speed") is { ValueKind: JsonValueKind.Number } speed)
        {
            Speed = speed.GetDouble();
        }

        if (s.TryGetProperty("max_output_tokens", out var max))
        {
            MaxOutputTokens = JsonNode.Parse(max.GetRawText())!;
        }

        foreach (var name in new[] { "tracing", "truncation", "prompt", "include", "reasoning", "parallel_tool_calls" })
        {
            if (s.TryGetProperty(name, out var value))
            {
                Passthrough[name] = NodeOrNull(value);
            }
        }
    }

    private void ApplyBeta(JsonElement s)
    {
        ApplyCommon(s);
        if (s.TryGetProperty("modalities", out var m))
        {
            OutputModalities = m.EnumerateArray().Select(x => x.GetString()!).ToList();
        }

        if (s.TryGetProperty("voice", out var voice) && voice.ValueKind == JsonValueKind.String)
        {
            Voice = voice.GetString()!;
        }

        if (s.TryGetProperty("input_audio_format", out var inFormat))
        {
            InputFormat = AudioFormatNames.FromBeta(inFormat.GetString()) ?? InputFormat;
        }

        if (s.TryGetProperty("output_audio_format", out var outFormat))
        {
            OutputFormat = AudioFormatNames.FromBeta(outFormat.GetString()) ?? OutputFormat;
        }

        if (s.TryGetProperty("input_audio_transcription", out var transcription))
        {
            InputTranscription = NodeOrNull(transcription);
        }

        if (s.TryGetProperty("input_audio_noise_reduction", out var noise))
        {
            NoiseReduction = NodeOrNull(noise);
        }

        if (s.TryGetProperty("turn_detection", out var td))
        {
            ApplyTurnDetection(td);
        }

        if (s.TryGetProperty("temperature", out var temperature))
        {
            Temperature = temperature.GetDouble();
        }

        if (s.TryGetProperty("max_response_output_tokens", out var max))
        {
            MaxOutputTokens = JsonNode.Parse(max.GetRawText())!;
        }
    }

    private void ApplyCommon(JsonElement s)
    {
        if (s.TryGetProperty("instructions", out var instructions))
        {
            Instructions = instructions.GetString() ?? string.Empty;
        }

        if (s.TryGetProperty("tools", out var tools))
        {
            Tools = JsonNode.Parse(tools.GetRawText())!.AsArray();
        }

        if (s.TryGetProperty("tool_choice", out var choice))
        {
            ToolChoice = JsonNode.Parse(choice.GetRawText())!;
        }
    }

    private void ApplyTurnDetection(JsonElement td) =>
        TurnDetection = td.ValueKind == JsonValueKind.Null ? null : (TurnDetection ?? new TurnDetectionSettings()).With(td);

    private static JsonNode? NodeOrNull(JsonElement e) => e.ValueKind == JsonValueKind.Null ? null : JsonNode.Parse(e.GetRawText());

    private static JsonElement? TryGet(JsonElement e, params string[] path)
    {
        foreach (var name in path)
        {
            if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty(name, out e))
            {
                return null;
            }
        }

        return e;
    }
}
