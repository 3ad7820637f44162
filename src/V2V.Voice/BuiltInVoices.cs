namespace V2V.Voice;

/// <summary>
/// The voices the realtime models speak with (OpenAI and Azure alike). The service refuses any other name with
/// an <c>invalid_value</c> error after the connection is open, when the session would otherwise run on its default
/// voice: a bad name is refused before connecting instead.
/// </summary>
public static class BuiltInVoices
{
    /// <summary>Every built-in voice; marin and cedar are the service's recommendation.</summary>
    public static IReadOnlyList<string> All { get; } = ["alloy", "ash", "ballad", "coral", "echo", "sage", "shimmer", "verse", "marin", "cedar"];

    /// <summary>Whether the service speaks with this voice.</summary>
    public static bool Contains(string voice) => All.Contains(voice, StringComparer.Ordinal);
}
