namespace V2V.Audio;

/// <summary>
/// A streaming voice activity detector: feed mono pcm16 frames of any size as they arrive, get a speech
/// probability per analysis chunk and speech start/end events with hysteresis. One instance per audio
/// stream; not thread-safe.
/// </summary>
public interface IVoiceActivityDetector : IDisposable
{
    /// <summary>Rate of the samples given to <see cref="Process"/>, in Hz.</summary>
    int SampleRate { get; }

    /// <summary>Length of one analysis chunk (32 ms for Silero).</summary>
    TimeSpan ChunkDuration { get; }

    /// <summary>True between a <see cref="VoiceActivityEventKind.SpeechStarted"/> and the next <see cref="VoiceActivityEventKind.SpeechEnded"/>.</summary>
    bool IsSpeech { get; }

    /// <summary>Speech probability (0..1) of the most recent chunk.</summary>
    float LastProbability { get; }

    /// <summary>
    /// Feeds the next samples of the stream. Whole chunks are analysed as soon as they are complete; the rest
    /// waits for the next call.
    /// </summary>
    /// <param name="samples">Mono pcm16 at <see cref="SampleRate"/>.</param>
    /// <param name="events">Receives speech start/end events, in order (optional).</param>
    /// <param name="chunks">Receives the probability of every chunk analysed (optional).</param>
    /// <returns>The number of chunks analysed by this call.</returns>
    int Process(ReadOnlySpan<short> samples, ICollection<VoiceActivityEvent>? events = null, ICollection<VoiceActivityChunk>? chunks = null);

    /// <summary>Forgets the stream so far (model state, pending samples, speech state, clock).</summary>
    void Reset();
}
