using System.Collections.Concurrent;

namespace V2V.Audio;

/// <summary>
/// The precomputed filter of one rate pair and phase response, split into its polyphase branches. Immutable and
/// shared: every resampler of the same pair and phase (one per session and direction) uses the same tables.
/// </summary>
internal sealed class PolyphaseFilterBank
{
    /// <summary>Stopband attenuation the filter is designed for; measured rejection is a little above it.</summary>
    public const double StopbandAttenuationDb = 100;

    /// <summary>The passband edge as a fraction of the lower of the two rates (0.45: 90% of its Nyquist).</summary>
    public const double PassbandFraction = 0.45;

    /// <summary>More phases than this would make the tables megabytes; all common audio rates need at most 640.</summary>
    public const int MaxPhases = 2048;

    // Taps per phase are padded to a whole number of 512-bit vectors, so dot products need no scalar tail.
    private const int TapAlignment = 16;

    // Lazy, so that sessions starting together on a new pair wait for one design instead of each running their own
    // (a minimum-phase design of a 44.1 kHz pair takes up to a second or two).
    private static readonly ConcurrentDictionary<(int In, int Out, ResamplerPhase Phase), Lazy<PolyphaseFilterBank>> Cache = new();

    private PolyphaseFilterBank(int interpolation, int decimation, int tapsPerPhase, float[] coefficients, double delayInOutputSamples)
    {
        Interpolation = interpolation;
        Decimation = decimation;
        TapsPerPhase = tapsPerPhase;
        Coefficients = coefficients;
        DelayInOutputSamples = delayInOutputSamples;
    }

    /// <summary>L: the output advances L phases for every input sample (output rate / gcd).</summary>
    public int Interpolation { get; }

    /// <summary>M: each output sample moves M phases further (input rate / gcd).</summary>
    public int Decimation { get; }

    /// <summary>Taps of one branch, a multiple of 16.</summary>
    public int TapsPerPhase { get; }

    /// <summary>
    /// L branches of <see cref="TapsPerPhase"/> taps, each stored time-reversed so that one output sample is a
    /// plain dot product with the newest <see cref="TapsPerPhase"/> input samples in chronological order.
    /// </summary>
    public float[] Coefficients { get; }

    /// <summary>The prototype filter's length L * taps per phase.</summary>
    public int PrototypeLength => Interpolation * TapsPerPhase;

    /// <summary>
    /// Group delay in output samples. Linear phase: half the prototype, the same at every frequency. Minimum
    /// phase: the group delay at <see cref="DelayReferenceFrequency"/>, where it is nearly flat.
    /// </summary>
    public double DelayInOutputSamples { get; }

    /// <summary>The shared bank for a rate pair and phase response, designed on first use.</summary>
    public static PolyphaseFilterBank For(int inputRate, int outputRate, ResamplerPhase phase)
        => Cache.GetOrAdd((inputRate, outputRate, phase), static key => new(() => Design(key.In, key.Out, key.Phase))).Value;

    /// <summary>
    /// The frequency at which a minimum-phase filter's delay is reported: 1 kHz, in the middle of the speech band
    /// and inside the passband of every rate from 8 kHz up; an eighth of the lower rate below that.
    /// </summary>
    public static double DelayReferenceFrequency(int inputRate, int outputRate) => Math.Min(1000, Math.Min(inputRate, outputRate) / 8.0);

    private static PolyphaseFilterBank Design(int inputRate, int outputRate, ResamplerPhase phase)
    {
        int gcd = GreatestCommonDivisor(inputRate, outputRate);
        int l = outputRate / gcd, m = inputRate / gcd;
        if (l > MaxPhases)
        {
            throw new NotSupportedException(
                $"Resampling {inputRate} Hz -> {outputRate} Hz needs {l} filter phases (the reduced ratio is {l}:{m}); " +
                $"at most {MaxPhases} are supported. Common rates (8000, 11025, 16000, 22050, 24000, 32000, 44100, 48000) all fit.");
        }

        // The prototype runs at L * input rate. It keeps everything below 45% of the lower rate and removes
        // everything from that rate's Nyquist up, so nothing can alias or image into the audible output.
        double filterRate = (double)l * inputRate;
        double lowerRate = Math.Min(inputRate, outputRate);
        double passEdge = PassbandFraction * lowerRate, stopEdge = 0.5 * lowerRate;
        double cutoff = (passEdge + stopEdge) / 2 / filterRate;
        int minLength = KaiserWindow.LengthFor(StopbandAttenuationDb, (stopEdge - passEdge) / filterRate);
        int taps = (minLength + l - 1) / l;
        taps = (taps + TapAlignment - 1) / TapAlignment * TapAlignment;
        int length = taps * l;
        double beta = KaiserWindow.BetaForAttenuation(StopbandAttenuationDb);

        var prototype = new double[length];
        double center = (length - 1) / 2.0;
        for (int n = 0; n < length; n++)
        {
            double x = n - center;
            double sinc = x == 0 ? 2 * cutoff : Math.Sin(2 * Math.PI * cutoff * x) / (Math.PI * x);
            prototype[n] = sinc * KaiserWindow.At(n, length, beta);
        }

        // The delay counts prototype samples (at L * input rate); each output sample is M of them.
        double delay = (length - 1) / (2.0 * m);
        if (phase == ResamplerPhase.Minimum)
        {
            prototype = MinimumPhase.From(prototype);
            delay = GroupDelay.At(prototype, DelayReferenceFrequency(inputRate, outputRate) / filterRate) / m;
        }

        double sum = 0;
        for (int n = 0; n < length; n++)
        {
            sum += prototype[n];
        }

        // Zero-stuffing by L divides the signal's level by L; a DC gain of L restores it.
        double gain = l / sum;
        var coefficients = new float[length];
        for (int branch = 0; branch < l; branch++)
        {
            for (int k = 0; k < taps; k++)
            {
                coefficients[branch * taps + (taps - 1 - k)] = (float)(prototype[branch + k * l] * gain);
            }
        }

        return new PolyphaseFilterBank(l, m, taps, coefficients, delay);
    }

    private static int GreatestCommonDivisor(int a, int b)
    {
        while (b != 0)
        {
            (a, b) = (b, a % b);
        }

        return a;
    }
}
