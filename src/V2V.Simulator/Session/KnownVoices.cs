using V2V.Simulator.Protocol;

namespace V2V.Simulator.Session;

/// <summary>
/// The built-in voices the service speaks with (GA's <c>VoiceIdsShared</c> enum; the service refuses any other
/// name although the schema also admits free strings). The beta schema still lists fable, onyx and nova, which the
/// realtime models never had; the service answers beta sessions with this same list, and so does Azure.
/// </summary>
internal static class KnownVoices
{
    public static IReadOnlyList<string> All { get; } = ["alloy", "ash", "ballad", "coral", "echo", "sage", "shimmer", "verse", "marin", "cedar"];

    public static InvalidParam? Check(string voice, string param) => SupportedValues.Check(voice, All, param);
}
