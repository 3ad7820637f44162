using V2V.Audio;

namespace V2V.Voice.Input;

/// <summary>The local voice activity detector of <see cref="TurnMode.LocalVad"/>: Silero, at the model rate.</summary>
internal static class LocalVad
{
    // The Silero model is loaded once per process and shared by the sessions' detectors.
    private static readonly Lazy<SileroVadModel> Model = new(() => SileroVadModel.Load());

    public static IVoiceActivityDetector CreateDetector(int silenceDurationMs) =>
        Model.Value.CreateDetector(InputAudioPath.ModelRate, new VoiceActivityOptions
        {
            MinSilenceDuration = TimeSpan.FromMilliseconds(silenceDurationMs),
        });
}
