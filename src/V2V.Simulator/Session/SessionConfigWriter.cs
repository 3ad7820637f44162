using System.Text.Json.Nodes;
using V2V.Simulator.Audio;

namespace V2V.Simulator.Session;

/// <summary>
/// The session object of <c>session.created/updated</c>, shaped per dialect, with every field the service sends
/// (the examples of those events in each schema file, in their order): a setting that is off is there as null,
/// not left out, because clients written against the service read it so.
/// </summary>
internal static class SessionConfigWriter
{
    public static JsonObject ToJson(SessionConfig c) => c.Profile.IsGa ? Ga(c) : Beta(c);

    private static JsonObject Ga(SessionConfig c)
    {
        var session = new JsonObject
        {
            ["type"] = "realtime",
            ["object"] = "realtime.session",
            ["id"] = c.Id,
            ["model"] = c.Model,
            ["output_modalities"] = Modalities(c),
            ["instructions"] = c.Instructions,
            ["tools"] = EchoedTools(c.Tools),
            ["tool_choice"] = c.ToolChoice.DeepClone(),
            ["max_output_tokens"] = c.MaxOutputTokens.DeepClone(),
            ["tracing"] = null,
            ["prompt"] = null,
            ["expires_at"] = c.ExpiresAt,
            ["audio"] = new JsonObject
            {
                ["input"] = new JsonObject
                {
                    ["format"] = GaFormat(c.InputFormat),
                    // Null when off, as the service sends it, though the GA response schema types both as objects.
                    ["transcription"] = c.InputTranscription?.DeepClone(),
                    ["noise_reduction"] = c.NoiseReduction?.DeepClone(),
                    ["turn_detection"] = c.TurnDetection?.ToJson(ga: true),
                },
                ["output"] = new JsonObject
                {
                    ["format"] = GaFormat(c.OutputFormat),
                    ["voice"] = c.Voice,
                    ["speed"] = c.Speed,
                },
            },
            ["include"] = null,
        };

        // Set by the client (tracing, truncation, prompt, include, reasoning, parallel_tool_calls): reported as set, in place of the defaults.
        foreach (var (name, value) in c.Passthrough)
        {
            session[name] = value?.DeepClone();
        }

        return session;
    }

    /// <summary>
    /// The beta example's fields, and those the service sent beyond the example of 2025-03-21: <c>expires_at</c>
    /// (from the first beta sessions on), <c>input_audio_noise_reduction</c> (in the file's own session schema),
    /// <c>speed</c> and <c>tracing</c> (added to beta sessions in 2025), and <c>client_secret</c>, which only a
    /// session made over REST for a browser has: null on a WebSocket.
    /// </summary>
    private static JsonObject Beta(SessionConfig c) => new()
    {
        ["id"] = c.Id,
        ["object"] = "realtime.session",
        ["expires_at"] = c.ExpiresAt,
        ["model"] = c.Model,
        ["modalities"] = Modalities(c),
        ["instructions"] = c.Instructions,
        ["voice"] = c.Voice,
        ["input_audio_format"] = AudioFormatNames.ToBeta(c.InputFormat),
        ["output_audio_format"] = AudioFormatNames.ToBeta(c.OutputFormat),
        ["input_audio_transcription"] = c.InputTranscription?.DeepClone(),
        ["input_audio_noise_reduction"] = c.NoiseReduction?.DeepClone(),
        ["turn_detection"] = c.TurnDetection?.ToJson(ga: false),
        ["tools"] = c.Tools.DeepClone(),
        ["tool_choice"] = c.ToolChoice.DeepClone(),
        ["temperature"] = c.Temperature,
        ["max_response_output_tokens"] = c.MaxOutputTokens.DeepClone(),
        ["speed"] = c.Speed,
        ["tracing"] = null,
        ["client_secret"] = null,
    };

    /// <summary>
    /// The session's tools as set, but for an mcp tool's <c>authorization</c>: the service does not send the token back
    /// (it redacts it), so a client's logs of session.updated never hold it. Its other fields are echoed as given.
    /// </summary>
    private static JsonArray EchoedTools(JsonArray tools)
    {
        var echoed = (JsonArray)tools.DeepClone();
        foreach (var tool in echoed.OfType<JsonObject>().Where(Mcp.McpServerSettings.IsMcp))
        {
            tool.Remove("authorization");
        }

        return echoed;
    }

    private static JsonArray Modalities(SessionConfig c) => new(c.OutputModalities.Select(m => (JsonNode)m).ToArray());

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
