using System.Text.Json.Nodes;
using V2V.Simulator.Audio;
using V2V.Simulator.Session;

namespace V2V.Simulator.Responses;

/// <summary>The <c>response</c> object of response.created/done, shaped per dialect.</summary>
internal static class ResponseJson
{
    public static JsonObject Build(ActiveResponse r, SessionConfig config, string conversationId, string status, JsonObject? statusDetails, JsonObject? usage)
    {
        var output = new JsonArray();
        foreach (var item in r.Output)
        {
            output.Add(item.ToJson(config.Profile));
        }

        var json = new JsonObject
        {
            ["object"] = "realtime.response",
            ["id"] = r.Id,
            ["status"] = status,
            ["output"] = output,
        };

        // As the service sends them (both files' examples): null while unknown, though the schemas type them as objects.
        json["status_details"] = statusDetails;

        if (!r.OutOfBand)
        {
            json["conversation_id"] = conversationId;
        }

        var modalities = new JsonArray(r.Modalities.Select(m => (JsonNode)m).ToArray());
        json["max_output_tokens"] = config.MaxOutputTokens.DeepClone();
        if (config.Profile.IsGa)
        {
            json["output_modalities"] = modalities;
            json["audio"] = new JsonObject
            {
                ["output"] = new JsonObject
                {
                    ["format"] = config.OutputFormat == AudioFormat.Pcm16
                        ? new JsonObject { ["type"] = "audio/pcm", ["rate"] = Pcm.SampleRate }
                        : new JsonObject { ["type"] = AudioFormatNames.ToGa(config.OutputFormat) },
                    ["voice"] = config.Voice,
                },
            };
        }
        else
        {
            json["modalities"] = modalities;
            json["voice"] = config.Voice;
            json["output_audio_format"] = AudioFormatNames.ToBeta(config.OutputFormat);
            json["temperature"] = config.Temperature;
        }

        json["metadata"] = r.Metadata?.DeepClone();
        json["usage"] = usage;

        return json;
    }
}
