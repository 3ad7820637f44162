namespace V2V.Audio;

/// <summary>The speech probability of one analysis chunk.</summary>
/// <param name="Start">Where the chunk begins in the stream.</param>
/// <param name="Duration">Its length.</param>
/// <param name="Probability">Speech probability, 0 to 1.</param>
public readonly record struct VoiceActivityChunk(TimeSpan Start, TimeSpan Duration, float Probability);
