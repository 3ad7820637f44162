using System.Text.Json.Nodes;
using V2V.Simulator.Audio;

namespace V2V.Simulator.Session;

/// <summary>The session object of <c>session.created/updated</c>, shaped per dialect.</summary>
internal static class SessionConfigWriter
{
    public static JsonObject ToJson(SessionConfig c) => c.Profile.IsGa ? Ga(c) : Beta(c);

    private static JsonObject Ga(SessionConfig c)
    {
        var input = new JsonObject
        {
            ["format"] = GaFormat(c.InputFormat),
            ["noise_reduction"] = c.NoiseReduction?.DeepClone(),
            ["turn_detection"] = c.TurnDetection?.ToJson(ga: true),
        };

        // The GA response schema types transcription as an object: absent, not null, when off.
        if (c.InputTranscription is not null)
        {
            input["transcription"] = c.InputTranscription.DeepClone();
        }

        if (c.NoiseReduction is null)
        {
            input.Remove("noise_reduction");
        }

        var session = new JsonObject
        {
            ["type"] = "realtime",
            ["object"] = "realtime.session",
            ["id"] = c.Id,
            ["model"] = c.Model,
            ["output_modalities"] = new JsonArray(c.OutputModalities.Select(m => (JsonNode)m).ToArray()),
            ["instructions"] = c.Instructions,
            ["tools"] = c.Tools.DeepClone(),
            ["tool_choice"] = c.ToolChoice.DeepClone(),
            ["max_output_tokens"] = c.MaxOutputTokens.DeepClone(),
            ["tracing"] = null,
            ["expires_at"] = c.ExpiresAt,
            ["audio"] = new JsonObject
            {
                ["input"] = input,
                ["output"] = new JsonObject
                {
                    ["format"] = GaFormat(c.OutputFormat),
                    ["voice"] = c.Voice,
                    ["speed"] = c.Speed,
                },
            },
        };
        foreach (var (name, value) in c.Passthrough)
        {
            session[name] = value?.DeepClone();
        }

        return session;
    }

    private static JsonObject Beta(SessionConfig c) => new()
    {
        ["id"] = c.Id,
        ["object"] = "realtime.session",
        ["model"] = c.Model,
        ["modalities"] = new JsonArray(c.OutputModalities.Select(m => (JsonNode)m).ToArray()),
        ["instructions"] = c.Instructions,
        ["voice"] = c.Voice,
        ["input_audio_format"] = AudioFormatNames.ToBeta(c.InputFormat),
        ["output_audio_format"] = AudioFormatNames.ToBeta(c.OutputFormat),
        ["input_audio_transcription"] = c.InputTranscription?.DeepClone(),
        ["turn_detection"] = c.TurnDetection?.ToJson(ga: false),
        ["tools"] = c.Tools.DeepClone(),
        ["tool_choice"] = c.ToolChoice.DeepClone(),
        ["temperature"] = c.Temperature,
        ["max_response_output_tokens"] = c.MaxOutputTokens.DeepClone(),
    };

    private static JsonObject GaFormat(AudioFormat format)
    {
        var json = new JsonObject { ["type"] = AudioFormatNames.ToGa(format) };
        if (format == AudioFormat.Pcm16)
        {
            json["rate"] = Pcm.SampleRate;
        }

        return json;
    }
}
