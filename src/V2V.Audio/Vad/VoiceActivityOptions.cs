namespace V2V.Audio;

/// <summary>
/// Thresholds and durations of speech segmentation, after Silero's VADIterator: speech starts when the
/// probability reaches <see cref="Threshold"/> and stays there <see cref="MinSpeechDuration"/>; it ends once the
/// probability has stayed below <see cref="NegativeThreshold"/> for <see cref="MinSilenceDuration"/>. Between
/// the two thresholds nothing changes (hysteresis).
/// </summary>
public sealed class VoiceActivityOptions
{
    /// <summary>Probability at or above which a chunk is speech. Default 0.5.</summary>
    public float Threshold { get; set; } = 0.5f;

    /// <summary>Probability below which a chunk is silence; null means <see cref="Threshold"/> - 0.15, as in Silero.</summary>
    public float? NegativeThreshold { get; set; }

    /// <summary>Speech shorter than this is ignored (clicks, coughs). Default 64 ms.</summary>
    public TimeSpan MinSpeechDuration { get; set; } = TimeSpan.FromMilliseconds(64);

    /// <summary>Silence must last this long to end speech (pauses between words do not). Default 100 ms, as in Silero.</summary>
    public TimeSpan MinSilenceDuration { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Widens each segment by this much at both ends. Default 30 ms, as in Silero.</summary>
    public TimeSpan SpeechPad { get; set; } = TimeSpan.FromMilliseconds(30);

    /// <summary>The negative threshold in force.</summary>
    public float EffectiveNegativeThreshold => NegativeThreshold ?? Math.Max(0.01f, Threshold - 0.15f);

    /// <summary>Checks the values; the message names the property and the allowed range.</summary>
    /// <exception cref="ArgumentException">A value is out of range.</exception>
    public void Validate()
    {
        if (Threshold is <= 0 or >= 1 || float.IsNaN(Threshold))
        {
            throw new ArgumentException($"VoiceActivityOptions.Threshold must be between 0 and 1 (exclusive); it is {Threshold}.", nameof(Threshold));
        }

        if (EffectiveNegativeThreshold > Threshold || EffectiveNegativeThreshold <= 0)
        {
            throw new ArgumentException(
                $"VoiceActivityOptions.NegativeThreshold must be above 0 and at most Threshold ({Threshold}); it is {EffectiveNegativeThreshold}.", nameof(NegativeThreshold));
        }

        foreach (var (name, value) in new[] { (nameof(MinSpeechDuration), MinSpeechDuration), (nameof(MinSilenceDuration), MinSilenceDuration), (nameof(SpeechPad), SpeechPad) })
        {
            if (value < TimeSpan.Zero || value > TimeSpan.FromSeconds(10))
            {
                throw new ArgumentException($"VoiceActivityOptions.{name} must be between 0 and 10 s; it is {value}.", name);
            }
        }
    }
}
