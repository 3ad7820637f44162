using V2V.Playground.Sessions;

namespace V2V.Playground.Telephony;

/// <summary>
/// What a call's <c>start</c> may choose through the TwiML's <c>&lt;Parameter&gt;</c>s (its <c>customParameters</c>):
/// <c>instructions</c>, <c>voice</c> and <c>greeting</c>, per call. Every other agent property is the server's.
/// Parameters it does not know are left to the application (Twilio passes them all).
/// </summary>
/// <param name="Voice">One of the built-in voices; null: the server's.</param>
/// <param name="Instructions">The system message; null: the server's.</param>
/// <param name="Greeting">What is said when the call starts; null: the server's greeting (or the language's hello).</param>
internal sealed record CallSettings(string? Voice, string? Instructions, string? Greeting)
{
    /// <summary>Reads the custom parameters, or says in one sentence which is wrong and how to fix it.</summary>
    public static CallSettings Read(IReadOnlyDictionary<string, string> parameters, out string? problem)
    {
        problem = null;
        var voice = parameters.GetValueOrDefault("voice") is { Length: > 0 } v ? v : null;
        var instructions = parameters.GetValueOrDefault("instructions") is { Length: > 0 } i ? i.Trim() : null;
        var greeting = parameters.GetValueOrDefault("greeting") is { Length: > 0 } g ? g.Trim() : null;
        if (voice is not null && !SessionSettings.Voices.Contains(voice))
        {
            problem = $"the custom parameter voice must be one of {string.Join(", ", SessionSettings.Voices)}, got \"{voice}\"; the server's voice is used.";
            voice = null;
        }
        if (instructions is { Length: > SessionSettings.MaxInstructionsLength })
        {
            problem = $"the custom parameter instructions may be at most {SessionSettings.MaxInstructionsLength} characters, got {instructions.Length}; the server's instructions are used.";
            instructions = null;
        }
        return new CallSettings(voice, instructions, greeting);
    }
}
