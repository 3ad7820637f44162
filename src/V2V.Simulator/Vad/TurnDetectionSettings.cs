using System.Text.Json;
using System.Text.Json.Nodes;

namespace V2V.Simulator.Vad;

/// <summary>
/// The session's <c>turn_detection</c> (same shape in both dialects). <c>semantic_vad</c> is accepted and run
/// as the energy detector with a silence duration derived from its eagerness (see <see cref="EffectiveSilenceMs"/>).
/// </summary>
internal sealed record TurnDetectionSettings
{
    public string Type { get; init; } = "server_vad";

    public double Threshold { get; init; } = 0.5;

    public int PrefixPaddingMs { get; init; } = 300;

    public int SilenceDurationMs { get; init; } = 500;

    public bool CreateResponse { get; init; } = true;

    public bool InterruptResponse { get; init; } = true;

    public string Eagerness { get; init; } = "auto";

    public int? IdleTimeoutMs { get; init; }

    public bool IsSemantic => Type == "semantic_vad";

    /// <summary>
    /// OpenAI gives eagerness only as "low waits longer, high answers sooner" (max timeouts 8 s, 4 s, 2 s);
    /// the energy detector needs a number: low 1500 ms, medium/auto 800 ms, high 400 ms of silence.
    /// </summary>
    public int EffectiveSilenceMs => !IsSemantic ? SilenceDurationMs : Eagerness switch
    {
        "low" => 1500,
        "high" => 400,
        _ => 800,
    };

    /// <summary>Applies a <c>turn_detection</c> object over these settings (fields absent keep their value).</summary>
    public TurnDetectionSettings With(JsonElement json)
    {
        var result = this;
        if (json.TryGetProperty("type", out var type) && type.GetString() is { } t && t != Type)
        {
            // A new type starts from that type's defaults, as OpenAI does.
            result = new TurnDetectionSettings { Type = t };
        }

        return result with
        {
            Threshold = json.TryGetProperty("threshold", out var th) ? th.GetDouble() : result.Threshold,
            PrefixPaddingMs = json.TryGetProperty("prefix_padding_ms", out var pp) ? pp.GetInt32() : result.PrefixPaddingMs,
            SilenceDurationMs = json.TryGetProperty("silence_duration_ms", out var sd) ? sd.GetInt32() : result.SilenceDurationMs,
            CreateResponse = json.TryGetProperty("create_response", out var cr) ? cr.GetBoolean() : result.CreateResponse,
            InterruptResponse = json.TryGetProperty("interrupt_response", out var ir) ? ir.GetBoolean() : result.InterruptResponse,
            Eagerness = json.TryGetProperty("eagerness", out var e) && e.GetString() is { } eg ? eg : result.Eagerness,
            IdleTimeoutMs = json.TryGetProperty("idle_timeout_ms", out var it) && it.ValueKind == JsonValueKind.Number ? it.GetInt32() : result.IdleTimeoutMs,
        };
    }

    public JsonObject ToJson(bool ga)
    {
        var json = new JsonObject { ["type"] = Type };
        if (IsSemantic)
        {
            json["eagerness"] = Eagerness;
        }
        else
        {
            json["threshold"] = Threshold;
            json["prefix_padding_ms"] = PrefixPaddingMs;
            json["silence_duration_ms"] = SilenceDurationMs;
            if (ga)
            {
                json["idle_timeout_ms"] = IdleTimeoutMs;
            }
        }

        json["create_response"] = CreateResponse;
        json["interrupt_response"] = InterruptResponse;
        return json;
    }
}
