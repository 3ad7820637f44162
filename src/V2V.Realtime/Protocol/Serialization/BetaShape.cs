using System.Text.Json.Nodes;

namespace V2V.Realtime.Protocol.Serialization;

/// <summary>
/// Maps the nested objects that differ between the dialects (session, response, response parameters,
/// items and content parts) between the beta shape and the GA shape of the typed model. Only events that
/// carry such objects pass through here; audio and transcript deltas never do.
/// </summary>
internal static class BetaShape
{
    private static readonly JsonPathMove[] SessionMoves =
    [
        new("modalities", "output_modalities"),
        new("max_response_output_tokens", "max_output_tokens"),
        new("input_audio_format", "audio.input.format", FormatToGa, FormatToBeta),
        new("input_audio_transcription", "audio.input.transcription"),
        new("input_audio_noise_reduction", "audio.input.noise_reduction"),
        new("turn_detection", "audio.input.turn_detection"),
        new("output_audio_format", "audio.output.format", FormatToGa, FormatToBeta),
        new("voice", "audio.output.voice"),
        new("speed", "audio.output.speed"),
    ];

    private static readonly JsonPathMove[] ResponseMoves =
    [
        new("modalities", "output_modalities"),
        new("output_audio_format", "audio.output.format", FormatToGa, FormatToBeta),
        new("voice", "audio.output.voice"),
    ];

    private static readonly JsonPathMove[] ResponseParamsMoves =
    [
        .. ResponseMoves,
        new("max_response_output_tokens", "max_output_tokens"),
    ];

    /// <summary>True when events of this kind carry objects whose shape differs between the dialects.</summary>
    public static bool Applies(RealtimeEventDescriptor descriptor) => descriptor.GaName switch
    {
        "session.update" or "session.created" or "session.updated" => true,
        "response.create" or "response.created" or "response.done" => true,
        "response.content_part.added" or "response.content_part.done" => true,
        "conversation.item.create" or "conversation.item.created" or "conversation.item.retrieved" => true,
        "conversation.item.added" or "conversation.item.done" => true,
        "response.output_item.added" or "response.output_item.done" => true,
        _ => false,
    };

    /// <summary>Rewrites a beta event (as a JSON tree) into the GA shape of the model.</summary>
    public static void ToGa(JsonObject evt, RealtimeEventDescriptor descriptor) => Rewrite(evt, descriptor, toGa: true);

    /// <summary>Rewrites a GA-shaped event (as a JSON tree) into the beta shape.</summary>
    public static void ToBeta(JsonObject evt, RealtimeEventDescriptor descriptor) => Rewrite(evt, descriptor, toGa: false);

    private static void Rewrite(JsonObject evt, RealtimeEventDescriptor descriptor, bool toGa)
    {
        if (evt["session"] is JsonObject session)
        {
            if (!toGa && session["type"]?.GetValue<string>() == "realtime")
            {
                session.Remove("type"); // beta has no session type; sending it is an unknown parameter
            }
            Apply(session, SessionMoves, toGa);
        }
        if (evt["response"] is JsonObject response)
        {
            var isParams = descriptor.GaName == "response.create";
            Apply(response, isParams ? ResponseParamsMoves : ResponseMoves, toGa);
            RewriteItems(response[isParams ? "input" : "output"] as JsonArray, toGa);
        }
        if (evt["item"] is JsonObject item)
        {
            RewriteItem(item, toGa);
        }
        if (evt["part"] is JsonObject part)
        {
            RewritePart(part, toGa);
        }
    }

    private static void Apply(JsonObject target, JsonPathMove[] moves, bool toGa)
    {
        foreach (var move in moves)
        {
            if (toGa)
            {
                move.ApplyToGa(target);
            }
            else
            {
                move.ApplyToBeta(target);
            }
        }
    }

    private static void RewriteItems(JsonArray? items, bool toGa)
    {
        if (items is null)
        {
            return;
        }
        foreach (var item in items)
        {
            if (item is JsonObject obj)
            {
                RewriteItem(obj, toGa);
            }
        }
    }

    private static void RewriteItem(JsonObject item, bool toGa)
    {
        if (item["content"] is not JsonArray content)
        {
            return;
        }
        foreach (var part in content)
        {
            if (part is JsonObject obj)
            {
                RewritePart(obj, toGa);
            }
        }
    }

    // Beta names the model's output parts "text" and "audio"; GA says "output_text" and "output_audio".
    private static void RewritePart(JsonObject part, bool toGa)
    {
        var type = part["type"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
        var renamed = (toGa, type) switch
        {
            (true, "text") => "output_text",
            (true, "audio") => "output_audio",
            (false, "output_text") => "text",
            (false, "output_audio") => "audio",
            _ => null,
        };
        if (renamed is not null)
        {
            part["type"] = renamed;
        }
    }

    private static JsonNode? FormatToGa(JsonNode? beta) => beta is JsonValue v && v.TryGetValue<string>(out var name)
        ? name switch
        {
            "pcm16" => new JsonObject { ["type"] = "audio/pcm", ["rate"] = 24000 },
            "g711_ulaw" => new JsonObject { ["type"] = "audio/pcmu" },
            "g711_alaw" => new JsonObject { ["type"] = "audio/pcma" },
            _ => new JsonObject { ["type"] = name },
        }
        : beta;

    private static JsonNode? FormatToBeta(JsonNode? ga) => ga is JsonObject o && o["type"] is JsonValue t && t.TryGetValue<string>(out var type)
        ? JsonValue.Create(type switch
        {
            "audio/pcm" => "pcm16",
            "audio/pcmu" => "g711_ulaw",
            "audio/pcma" => "g711_alaw",
            _ => type,
        })
        : ga;
}
