namespace V2V.Audio;

/// <summary>
/// The phase response of an <see cref="AudioResampler"/>'s filter. Both choices have the same magnitude response
/// (flat within 0.1 dB to 45% of the lower rate, at least 90 dB of alias and image rejection) and the same cost;
/// they differ only in how long the output lags the input, and in the shape of that lag across frequency.
/// </summary>
public enum ResamplerPhase
{
    /// <summary>
    /// A symmetric filter: every frequency is delayed by exactly the same time (half the filter, about 4 ms for
    /// 16 -> 24 kHz), so waveforms keep their shape and a click comes out centred, with equal ringing before and
    /// after it. Choose it for audio that is played, mixed or compared sample by sample, and whenever an exact,
    /// frequency-independent delay matters more than a few milliseconds.
    /// </summary>
    Linear,

    /// <summary>
    /// The minimum-phase filter with the same magnitude response: the output follows the input as early as a
    /// filter this selective allows, a fraction of a millisecond at speech frequencies, and rings only after a
    /// click, never before it. The delay is no longer the same at every frequency: it stays small and nearly
    /// constant through the speech band and grows only near the band edge (45% of the lower rate), where the
    /// filter is steep. Choose it for the lowest latency: audio going to a speech recognizer or a voice-activity
    /// detector (which then sees the end of speech sooner), or live monitoring.
    /// <para>Its filter is designed from the linear one when a rate pair is first used, once per process: 10 to 60
    /// ms for pairs of 8, 16, 24, 32 and 48 kHz; the long filters of 44.1 and 22.05 kHz pairs take 0.5 to 1.5 s,
    /// so create one such resampler ahead of time if that first call must not wait.</para>
    /// </summary>
    Minimum,
}
