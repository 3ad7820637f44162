using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace V2V.Audio;

/// <summary>
/// A streaming, band-limited sample-rate converter for mono audio: a polyphase Kaiser-windowed sinc filter
/// (flat within 0.1 dB up to 45% of the lower rate, at least 90 dB of stopband rejection).
/// </summary>
/// <remarks>
/// <para>Frames of any size go in one at a time; the output is the same, sample for sample, as if the whole
/// signal had been resampled in one call, delayed by <see cref="DelayInOutputSamples"/>. The rate ratio is
/// reduced to an exact fraction (44100 -> 24000 is 80/147), so output counts never drift: after N input
/// samples in total, exactly ceil(N * out / in) output samples have come out.</para>
/// <para>The filter is linear phase unless <see cref="ResamplerPhase.Minimum"/> is asked for: the same magnitude
/// response and cost, with a fraction of the delay at speech frequencies (see <see cref="ResamplerPhase"/>).</para>
/// <para>Equal rates pass samples through untouched with no delay. One instance serves one stream and is not
/// thread-safe; instances are cheap, because the filter tables of a rate pair are computed once and shared.
/// After the first call no call allocates.</para>
/// </remarks>
public sealed class AudioResampler
{
    /// <summary>Lowest sample rate accepted, in Hz.</summary>
    public const int MinSampleRate = 1000;

    /// <summary>Highest sample rate accepted, in Hz.</summary>
    public const int MaxSampleRate = 384_000;

    // Input is filtered in blocks of this many samples, whatever the caller's frame size. 20 ms at 48 kHz fits in one;
    // the buffers of a block are what each instance keeps (about 23 KB for 16 -> 24 kHz; 90 KB with 4096 samples,
    // kept by every session while its frames are 160-480 samples), and a longer input just takes several blocks.
    private const int BlockSize = 1024;

    private readonly PolyphaseFilterBank? _bank;
    private readonly float[] _buffer = [];
    private readonly float[] _scratch = [];
    private readonly int[] _coefficientAt = [];
    private readonly int[] _inputAt = [];
    private readonly int _taps;
    private readonly int _interpolation;
    private readonly int _wholeStep;
    private readonly int _phaseStep;
    private readonly DecimatingKernel? _decimating;
    private readonly InterpolatingKernel? _interpolating;
    private int _filled;
    private int _newest;
    private int _phase;

    /// <summary>
    /// Creates a linear-phase resampler from <paramref name="inputSampleRate"/> to <paramref name="outputSampleRate"/>.
    /// </summary>
    /// <param name="inputSampleRate">Rate of the samples given to <c>Process</c>, in Hz (1000 to 384000).</param>
    /// <param name="outputSampleRate">Rate of the samples produced, in Hz (1000 to 384000).</param>
    /// <exception cref="ArgumentOutOfRangeException">A rate is outside 1000..384000 Hz.</exception>
    /// <exception cref="NotSupportedException">The reduced ratio needs more than 2048 filter phases.</exception>
    public AudioResampler(int inputSampleRate, int outputSampleRate)
        : this(inputSampleRate, outputSampleRate, ResamplerPhase.Linear)
    {
    }

    /// <summary>
    /// Creates a resampler from <paramref name="inputSampleRate"/> to <paramref name="outputSampleRate"/> whose
    /// filter has the given phase response.
    /// </summary>
    /// <param name="inputSampleRate">Rate of the samples given to <c>Process</c>, in Hz (1000 to 384000).</param>
    /// <param name="outputSampleRate">Rate of the samples produced, in Hz (1000 to 384000).</param>
    /// <param name="phase">
    /// <see cref="ResamplerPhase.Linear"/> for an exact, frequency-independent delay;
    /// <see cref="ResamplerPhase.Minimum"/> for the least delay (audio for a speech recognizer or voice-activity
    /// detector, live monitoring). The magnitude response and the cost are the same.
    /// </param>
    /// <exception cref="ArgumentOutOfRangeException">A rate is outside 1000..384000 Hz, or the phase is not defined.</exception>
    /// <exception cref="NotSupportedException">The reduced ratio needs more than 2048 filter phases.</exception>
    public AudioResampler(int inputSampleRate, int outputSampleRate, ResamplerPhase phase)
    {
        CheckRate(inputSampleRate, nameof(inputSampleRate));
        CheckRate(outputSampleRate, nameof(outputSampleRate));
        if (phase is not (ResamplerPhase.Linear or ResamplerPhase.Minimum))
        {
            throw new ArgumentOutOfRangeException(nameof(phase), phase, "The phase must be ResamplerPhase.Linear or ResamplerPhase.Minimum.");
        }

        InputSampleRate = inputSampleRate;
        OutputSampleRate = outputSampleRate;
        Phase = phase;
        if (inputSampleRate == outputSampleRate)
        {
            return;
        }

        _bank = PolyphaseFilterBank.For(inputSampleRate, outputSampleRate, phase);
        _taps = _bank.TapsPerPhase;
        _interpolation = _bank.Interpolation;
        _wholeStep = _bank.Decimation / _interpolation;
        _phaseStep = _bank.Decimation % _interpolation;
        _buffer = new float[_taps - 1 + BlockSize];
        _scratch = new float[GetMaxOutputCount(BlockSize)];
        if (_interpolation == 1 && DecimatingKernel.IsSupported)
        {
            _decimating = new DecimatingKernel(_bank.Coefficients, _wholeStep, _taps, _buffer.Length);
        }
        else if (_bank.Decimation == 1 && InterpolatingKernel.Fits(_taps))
        {
            _interpolating = new InterpolatingKernel(_bank.Coefficients, _interpolation, _taps, _buffer.Length);
        }
        else
        {
            // Only the general path indexes its outputs' coefficients and inputs.
            _coefficientAt = new int[_scratch.Length];
            _inputAt = new int[_scratch.Length];
        }
        Reset();
    }

    /// <summary>Rate of the input, in Hz.</summary>
    public int InputSampleRate { get; }

    /// <summary>Rate of the output, in Hz.</summary>
    public int OutputSampleRate { get; }

    /// <summary>The phase response of the filter (it does not matter when passing through).</summary>
    public ResamplerPhase Phase { get; }

    /// <summary>True when both rates are equal and samples are copied unchanged.</summary>
    public bool IsPassThrough => _bank is null;

    /// <summary>
    /// How far the output lags the input, in output samples (may be fractional): the group delay, the lag of a
    /// sound's envelope, so a sound that starts or stops at input time t starts or stops at output sample
    /// t * out / in + this delay.
    /// </summary>
    /// <remarks>
    /// <para><see cref="ResamplerPhase.Linear"/>: exact at every frequency; a click at input time t comes out
    /// centred at that output sample.</para>
    /// <para><see cref="ResamplerPhase.Minimum"/>: the group delay at 1 kHz (at an eighth of the lower rate when
    /// that is below 8 kHz), computed from the designed filter. It is nearly the same from DC through the speech
    /// band and grows near the band edge; a click's response starts right away and peaks near this delay.</para>
    /// </remarks>
    public double DelayInOutputSamples => _bank?.DelayInOutputSamples ?? 0;

    /// <summary>The delay of <see cref="DelayInOutputSamples"/> as a duration.</summary>
    public TimeSpan Delay => TimeSpan.FromSeconds(DelayInOutputSamples / OutputSampleRate);

    /// <summary>Filter taps used per output sample (0 when passing through); a measure of the cost.</summary>
    public int TapsPerOutputSample => _taps;

    /// <summary>
    /// The largest number of samples one call with <paramref name="inputCount"/> input samples can produce:
    /// size the output span with it.
    /// </summary>
    public int GetMaxOutputCount(int inputCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(inputCount);
        if (_bank is null)
        {
            return inputCount;
        }

        // ceil(a + b) <= ceil(a) + ceil(b): a call never yields more than ceil(count * L / M).
        long max = ((long)inputCount * _bank.Interpolation + _bank.Decimation - 1) / _bank.Decimation;
        return checked((int)max);
    }

    /// <summary>Resamples mono pcm16 samples; the output is rounded and saturated to the pcm16 range.</summary>
    /// <param name="input">The next samples of the stream, any count (zero included).</param>
    /// <param name="output">Room for at least <see cref="GetMaxOutputCount"/>(input.Length) samples.</param>
    /// <returns>The number of samples written to <paramref name="output"/>.</returns>
    /// <exception cref="ArgumentException"><paramref name="output"/> is too small.</exception>
    public int Process(ReadOnlySpan<short> input, Span<short> output)
    {
        CheckOutput(input.Length, output.Length);
        if (_bank is null)
        {
            input.CopyTo(output);
            return input.Length;
        }

        int written = 0;
        while (!input.IsEmpty)
        {
            int take = Math.Min(input.Length, _buffer.Length - _filled);
            Pcm16Convert.ToFloat(input[..take], _buffer.AsSpan(_filled, take));
            _filled += take;
            input = input[take..];
            int count = FilterBlock(_scratch);
            Pcm16Convert.FromFloat(_scratch.AsSpan(0, count), output[written..]);
            written += count;
        }

        return written;
    }

    /// <summary>
    /// Resamples mono float samples. The filter is linear, so any scale works (1.0 or 32768 as full scale);
    /// nothing is clipped.
    /// </summary>
    /// <param name="input">The next samples of the stream, any count (zero included).</param>
    /// <param name="output">Room for at least <see cref="GetMaxOutputCount"/>(input.Length) samples.</param>
    /// <returns>The number of samples written to <paramref name="output"/>.</returns>
    /// <remarks>Calls of both overloads may be mixed on one instance only if the float samples use the pcm16 scale.</remarks>
    /// <exception cref="ArgumentException"><paramref name="output"/> is too small.</exception>
    public int Process(ReadOnlySpan<float> input, Span<float> output)
    {
        CheckOutput(input.Length, output.Length);
        if (_bank is null)
        {
            input.CopyTo(output);
            return input.Length;
        }

        int written = 0;
        while (!input.IsEmpty)
        {
            int take = Math.Min(input.Length, _buffer.Length - _filled);
            input[..take].CopyTo(_buffer.AsSpan(_filled, take));
            _filled += take;
            input = input[take..];
            written += FilterBlock(output[written..]);
        }

        return written;
    }

    /// <summary>Forgets all past input, as if newly created (for a new stream or after a seek).</summary>
    public void Reset()
    {
        if (_bank is null)
        {
            return;
        }

        // taps-1 zeros of history: the first output sample sees silence before the stream's first sample.
        Array.Clear(_buffer);
        _filled = _taps - 1;
        _newest = _taps - 1;
        _phase = 0;
    }

    // Filters every output the buffered input allows. Outputs n, n+L, n+2L, n+3L share a phase and so a
    // coefficient vector: those go four at a time through the shared-coefficient kernel; the few left over
    // go through the general one.
    private int FilterBlock(Span<float> output)
    {
        if (_decimating is not null)
        {
            return FilterBlockDecimating(_decimating, output);
        }

        if (_interpolating is not null)
        {
            return FilterBlockInterpolating(_interpolating, output);
        }

        int count = 0;
        while (_newest < _filled)
        {
            _coefficientAt[count] = _phase * _taps;
            _inputAt[count] = _newest - _taps + 1;
            count++;
            Advance();
        }

        ref float coefficients = ref MemoryMarshal.GetArrayDataReference(_bank!.Coefficients);
        ref float buffer = ref MemoryMarshal.GetArrayDataReference(_buffer);
        int l = _interpolation, done = 0;
        for (; done + 4 * l <= count; done += 4 * l)
        {
            for (int j = done; j < done + l; j++)
            {
                Vector128<float> sums = DotProduct.Compute4SharedCoefficients(
                    ref Unsafe.Add(ref coefficients, _coefficientAt[j]),
                    ref Unsafe.Add(ref buffer, _inputAt[j]),
                    ref Unsafe.Add(ref buffer, _inputAt[j + l]),
                    ref Unsafe.Add(ref buffer, _inputAt[j + 2 * l]),
                    ref Unsafe.Add(ref buffer, _inputAt[j + 3 * l]),
                    _taps);
                output[j] = sums.GetElement(0);
                output[j + l] = sums.GetElement(1);
                output[j + 2 * l] = sums.GetElement(2);
                output[j + 3 * l] = sums.GetElement(3);
            }
        }

        for (; done < count; done += 4)
        {
            // Lanes past the end repeat the last output; they are computed and dropped.
            int j0 = done, j1 = Math.Min(done + 1, count - 1), j2 = Math.Min(done + 2, count - 1), j3 = Math.Min(done + 3, count - 1);
            Vector128<float> sums = DotProduct.Compute4(
                ref Unsafe.Add(ref coefficients, _coefficientAt[j0]), ref Unsafe.Add(ref buffer, _inputAt[j0]),
                ref Unsafe.Add(ref coefficients, _coefficientAt[j1]), ref Unsafe.Add(ref buffer, _inputAt[j1]),
                ref Unsafe.Add(ref coefficients, _coefficientAt[j2]), ref Unsafe.Add(ref buffer, _inputAt[j2]),
                ref Unsafe.Add(ref coefficients, _coefficientAt[j3]), ref Unsafe.Add(ref buffer, _inputAt[j3]),
                _taps);
            output[j0] = sums.GetElement(0);
            output[j1] = sums.GetElement(1);
            output[j2] = sums.GetElement(2);
            output[j3] = sums.GetElement(3);
        }

        Compact();
        return count;
    }

    // Integer decimation: outputs are M input samples apart, all with phase 0.
    private int FilterBlockDecimating(DecimatingKernel kernel, Span<float> output)
    {
        int count = _newest < _filled ? ((_filled - 1 - _newest) / _wholeStep) + 1 : 0;
        if (count > 0)
        {
            kernel.Run(_bank!.Coefficients, _buffer, _newest - _taps + 1, _filled, count, output);
            _newest += count * _wholeStep;
        }

        Compact();
        return count;
    }

    // Integer interpolation: L outputs per input sample, phases 0..L-1 in turn.
    private int FilterBlockInterpolating(InterpolatingKernel kernel, Span<float> output)
    {
        int count = _newest < _filled ? ((_filled - _newest) * _interpolation) - _phase : 0;
        if (count > 0)
        {
            kernel.Run(_buffer, _newest - _taps + 1, _filled, _phase, count, output);
            _newest += (_phase + count) / _interpolation;
            _phase = (_phase + count) % _interpolation;
        }

        Compact();
        return count;
    }

    // Output n sits at input position n * M / L: whole samples in _newest, the remainder in _phase (0..L-1).
    private void Advance()
    {
        _newest += _wholeStep;
        _phase += _phaseStep;
        if (_phase >= _interpolation)
        {
            _phase -= _interpolation;
            _newest++;
        }
    }

    // Keeps the last taps-1 samples as history. _newest >= _filled here, so every later window still fits.
    private void Compact()
    {
        int start = _filled - (_taps - 1);
        if (start <= 0)
        {
            return;
        }

        _buffer.AsSpan(start, _taps - 1).CopyTo(_buffer);
        _filled -= start;
        _newest -= start;
    }

    private void CheckOutput(int inputCount, int outputCount)
    {
        int needed = GetMaxOutputCount(inputCount);
        if (outputCount < needed)
        {
            throw new ArgumentException(
                $"The output span holds {outputCount} samples but {inputCount} input samples can produce up to {needed}; " +
                "size it with GetMaxOutputCount(input.Length).", "output");
        }
    }

    private static void CheckRate(int rate, string parameterName)
    {
        if (rate is < MinSampleRate or > MaxSampleRate)
        {
            throw new ArgumentOutOfRangeException(
                parameterName, rate, $"The sample rate must be between {MinSampleRate} and {MaxSampleRate} Hz (e.g. 16000, 24000, 48000).");
        }
    }
}
