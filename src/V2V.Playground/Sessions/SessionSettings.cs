using System.Text.Json;

namespace V2V.Playground.Sessions;

/// <summary>
/// What the page's <c>start</c> message chooses: the microphone's sample rate and the few settings a visitor may
/// change (voice, instructions, turn mode). Everything else, the key above all, is the server's.
/// </summary>
/// <param name="SampleRate">The rate of the pcm16 mono audio the page will send (its AudioContext's), 8000-48000.</param>
/// <param name="Voice">One of <see cref="Voices"/>.</param>
/// <param name="Instructions">The system message; empty keeps the extension's default.</param>
/// <param name="TurnMode">One of <see cref="TurnModes"/>.</param>
/// <param name="ReportsPlayed">The page sends <c>played</c> as its player plays: the agent truncates a barge-in there. A
/// client that does not (one that only records, a test) has what was sent count as played.</param>
internal sealed record SessionSettings(int SampleRate, string Voice, string Instructions, string TurnMode, bool ReportsPlayed = false)
{
    public const int MaxInstructionsLength = 4000;

    /// <summary>The voices of the OpenAI Realtime API.</summary>
    public static IReadOnlyList<string> Voices => V2V.Voice.BuiltInVoices.All;

    /// <summary>The extension's <c>turn_detection</c> values.</summary>
    public static IReadOnlyList<string> TurnModes { get; } = ["server_vad", "semantic_vad", "local_vad"];

    /// <summary>Reads a <c>start</c> message, or says in one sentence what is wrong with it.</summary>
    public static SessionSettings Parse(ReadOnlySpan<byte> utf8Json, out string? problem)
    {
        problem = null;
        try
        {
            using var document = JsonDocument.Parse(utf8Json.ToArray());
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || Text(root, "type") != "start")
            {
                problem = "the first message must be {\"type\":\"start\", ...}.";
                return Default;
            }
            var rate = root.TryGetProperty("sampleRate", out var r) && r.TryGetInt32(out var v) ? v : 0;
            var voice = Text(root, "voice") ?? "alloy";
            var instructions = Text(root, "instructions") ?? "";
            var turnMode = Text(root, "turnMode") ?? "server_vad";
            var reportsPlayed = root.TryGetProperty("reportsPlayed", out var reports) && reports.ValueKind == JsonValueKind.True;
            problem = rate is < 8000 or > 48000 ? $"sampleRate must be between 8000 and 48000, got {rate}."
                : !Voices.Contains(voice) ? $"voice must be one of {string.Join(", ", Voices)}, got \"{voice}\"."
                : !TurnModes.Contains(turnMode) ? $"turnMode must be one of {string.Join(", ", TurnModes)}, got \"{turnMode}\"."
                : instructions.Length > MaxInstructionsLength ? $"instructions may be at most {MaxInstructionsLength} characters, got {instructions.Length}."
                : root.TryGetProperty("reportsPlayed", out var given) && given.ValueKind is not (JsonValueKind.True or JsonValueKind.False or JsonValueKind.Null) ? "reportsPlayed must be true or false."
                : null;
            return new SessionSettings(rate, voice, instructions.Trim(), turnMode, reportsPlayed);
        }
        catch (JsonException ex)
        {
            problem = $"the start message is not valid JSON: {ex.Message}";
            return Default;
        }
    }

    /// <summary>What a page that chooses nothing gets.</summary>
    public static SessionSettings Default => new(24000, "alloy", "", "server_vad");

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
