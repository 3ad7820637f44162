namespace V2V.Audio;

/// <summary>A speech boundary found by an <see cref="IVoiceActivityDetector"/>.</summary>
/// <param name="Kind">Start or end of speech.</param>
/// <param name="Position">Where in the stream the boundary lies, counted from the first sample fed (or the last reset).</param>
/// <param name="DetectedAt">How much of the stream had been fed when the boundary was decided (Position plus the decision delay).</param>
public readonly record struct VoiceActivityEvent(VoiceActivityEventKind Kind, TimeSpan Position, TimeSpan DetectedAt);
