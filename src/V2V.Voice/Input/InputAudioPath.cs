using V2V.Audio;

namespace V2V.Voice.Input;

/// <summary>
/// The way in for the user's audio: frames of any rate (8 to 48 kHz), mono or stereo, are downmixed and
/// resampled (band-limited) to the model's 24 kHz mono, gathered into chunks of the send size, and shown to
/// the local voice activity detector when there is one. One producer at a time; allocation-free after the
/// first frames of a given size.
/// </summary>
/// <remarks>
/// Chunks save messages; at the end of a turn they cost time. The server ends a turn once it has seen its silence
/// window, so the frame that completes that window must not wait for the next one: a quiet frame (below the quiet
/// level) goes out at once with whatever was gathered before it. When the window is known (server VAD's
/// silence_duration_ms), only the quiet frames around its end go at once (from 100 ms before to 50 ms after, for
/// the server's own idea of where speech ended); the rest of a pause is chunked like speech, so a pause costs a
/// few more messages, not twice as many. With an unknown window (semantic VAD) every quiet frame goes at once.
/// </remarks>
internal sealed class InputAudioPath : IDisposable
{
    /// <summary>The model's input rate.</summary>
    public const int ModelRate = 24000;

    /// <summary>A quiet level at or below this turns the early send of quiet frames off.</summary>
    public const double MinQuietDbfs = -120;

    /// <summary>The longest frame accepted, in seconds of audio.</summary>
    public const double MaxFrameSeconds = 2;

    private readonly short[] _chunk;
    private readonly double _quietSumOfSquaresPerSample;
    private readonly int? _silenceWindowMs;
    private double _quietRunMs;
    private readonly IVoiceActivityDetector? _vad;
    private readonly List<VoiceActivityEvent> _vadEvents = [];
    private AudioResampler? _resampler;
    private short[] _mono = [];
    private short[] _resampled = [];
    private int _chunkFill;

    /// <param name="chunkMs">Audio per append while the input is loud.</param>
    /// <param name="quietDbfs">Frames with an RMS level below this go out at once (-120 or lower: never).</param>
    /// <param name="silenceWindowMs">The server's silence window when it is known, else null (every quiet frame goes at once).</param>
    /// <param name="vad">The local voice activity detector, if turns are detected here.</param>
    public InputAudioPath(int chunkMs, double quietDbfs, int? silenceWindowMs, IVoiceActivityDetector? vad)
    {
        _silenceWindowMs = silenceWindowMs;
        _chunk = new short[ModelRate * chunkMs / 1000];
        var quietRms = 32768 * Math.Pow(10, quietDbfs / 20);
        _quietSumOfSquaresPerSample = quietDbfs <= MinQuietDbfs ? -1 : quietRms * quietRms;
        _vad = vad;
    }

    /// <summary>Speech boundaries the local detector found in the last <see cref="Push"/>.</summary>
    public IReadOnlyList<VoiceActivityEvent> VadEvents => _vadEvents;

    /// <summary>Checks a frame; the message names what is wrong and what is accepted.</summary>
    public static void Validate(int byteCount, int sampleRate, int channels)
    {
        if (sampleRate is < 8000 or > 48000)
        {
            throw new ArgumentOutOfRangeException(nameof(sampleRate), sampleRate, $"sample_rate {sampleRate} Hz is not supported: frames must be 8000 to 48000 Hz.");
        }
        if (channels is < 1 or > 8)
        {
            throw new ArgumentOutOfRangeException(nameof(channels), channels, $"number_of_channels {channels} is not supported: frames must have 1 to 8 channels.");
        }
        if (byteCount % (2 * channels) != 0)
        {
            throw new ArgumentException($"a pcm16 frame of {channels} channel(s) must hold a whole number of {2 * channels}-byte sample frames; got {byteCount} bytes.", "pcm16");
        }
        if (byteCount > MaxFrameSeconds * sampleRate * channels * 2)
        {
            throw new ArgumentException($"a frame of {byteCount} bytes is {byteCount / (2.0 * channels * sampleRate):F1} s of audio; frames must be at most {MaxFrameSeconds} s (10 to 100 ms is usual).", "pcm16");
        }
    }

    /// <summary>Takes a frame (already validated); <paramref name="onChunk"/> gets each full 24 kHz chunk, which is only valid during the call.</summary>
    public void Push(ReadOnlySpan<byte> pcm16, int sampleRate, int channels, Action<ReadOnlyMemory<short>> onChunk)
    {
        _vadEvents.Clear();
        var samples = Pcm16.AsSamples(pcm16);
        var mono = samples;
        if (channels > 1)
        {
            var frames = samples.Length / channels;
            EnsureSize(ref _mono, frames);
            ChannelDownmixer.ToMono(samples, channels, _mono);
            mono = _mono.AsSpan(0, frames);
        }
        if (_resampler is null || _resampler.InputSampleRate != sampleRate)
        {
            // A source that changes its rate mid-stream gets a new filter: a click at the change, no error.
            _resampler = new AudioResampler(sampleRate, ModelRate, PhaseFor(sampleRate));
        }
        EnsureSize(ref _resampled, _resampler.GetMaxOutputCount(mono.Length));
        var count = _resampler.Process(mono, _resampled);
        var at24k = _resampled.AsSpan(0, count);
        _vad?.Process(at24k, _vadEvents);
        var quiet = IsQuiet(at24k);
        if (!quiet)
        {
            _quietRunMs = 0;
        }
        var sendNow = quiet && NearTheEndOfTheSilenceWindow(count / 24.0);

        while (!at24k.IsEmpty)
        {
            var take = Math.Min(at24k.Length, _chunk.Length - _chunkFill);
            at24k[..take].CopyTo(_chunk.AsSpan(_chunkFill));
            _chunkFill += take;
            at24k = at24k[take..];
            if (_chunkFill == _chunk.Length)
            {
                onChunk(_chunk);
                _chunkFill = 0;
            }
        }

        if (sendNow)
        {
            FlushPartial(onChunk);
        }
    }

    /// <summary>Lengthens the quiet run by this quiet frame; true when the server's window may end within it.</summary>
    private bool NearTheEndOfTheSilenceWindow(double frameMs)
    {
        var before = _quietRunMs;
        _quietRunMs += frameMs;
        return _silenceWindowMs is not { } window || (_quietRunMs >= window - 100 && before <= window + 50);
    }

    /// <summary>True when the RMS level of <paramref name="samples"/> is below the quiet level (never when the early send is off).</summary>
    private bool IsQuiet(ReadOnlySpan<short> samples)
    {
        if (samples.IsEmpty)
        {
            return false;
        }
        if (_quietSumOfSquaresPerSample < 0)
        {
            return false; // the early send is off: no need to measure
        }

        return Pcm16Level.SumOfSquares(samples) < _quietSumOfSquaresPerSample * samples.Length;
    }

    /// <summary>
    /// Minimum phase: the server's turn detection hears the end of speech 0.2 ms late instead of 4 ms. Its filter
    /// is designed on first use of a rate pair: milliseconds for the 8 kHz family, but about half a second for
    /// 44.1 and 22.05 kHz, too long for a first frame to wait; those keep the linear filter (2.7 ms at 1 kHz).
    /// </summary>
    private static ResamplerPhase PhaseFor(int sampleRate) =>
        sampleRate % 8000 == 0 || 48000 % sampleRate == 0 ? ResamplerPhase.Minimum : ResamplerPhase.Linear;

    /// <summary>Gives out what is gathered, however short (at the end of a turn); nothing when empty.</summary>
    public void FlushPartial(Action<ReadOnlyMemory<short>> onChunk)
    {
        if (_chunkFill > 0)
        {
            onChunk(_chunk.AsMemory(0, _chunkFill));
            _chunkFill = 0;
        }
    }

    public void Dispose() => _vad?.Dispose();

    private static void EnsureSize(ref short[] buffer, int size)
    {
        if (buffer.Length < size)
        {
            buffer = new short[size];
        }
    }
}
