namespace V2V.Audio;

/// <summary>
/// A model-free fallback detector: loudness of 20 ms chunks against an adaptive noise floor. It cannot tell
/// speech from other sounds (music, a door) the way <see cref="SileroVoiceActivityDetector"/> does; use it
/// when the Silero model is unavailable. Works at any rate without resampling. One per stream.
/// </summary>
public sealed class EnergyVoiceActivityDetector : IVoiceActivityDetector
{
    private const double ChunkSeconds = 0.02;

    private readonly SpeechSegmenter _segmenter;
    private readonly int _chunkSamples;
    private readonly double _minimumSpeechDb;
    private double _sumOfSquares;
    private int _pending;
    private long _position;
    private double _noiseFloorDb;

    /// <summary>Creates a detector for mono pcm16 at <paramref name="sampleRate"/>.</summary>
    /// <param name="sampleRate">Rate of the input in Hz, 1000 or more.</param>
    /// <param name="options">Segmentation settings; defaults when null.</param>
    /// <param name="minimumSpeechDb">Chunks quieter than this (dB full scale) are never speech, however quiet the room. Default -50.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="sampleRate"/> is below 1000.</exception>
    public EnergyVoiceActivityDetector(int sampleRate, VoiceActivityOptions? options = null, double minimumSpeechDb = -50)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleRate, 1000);
        options ??= new VoiceActivityOptions();
        options.Validate();
        SampleRate = sampleRate;
        _chunkSamples = (int)(sampleRate * ChunkSeconds);
        _minimumSpeechDb = minimumSpeechDb;
        _segmenter = new SpeechSegmenter(options, sampleRate);
        ChunkDuration = TimeSpan.FromSeconds((double)_chunkSamples / sampleRate);
        Reset();
    }

    /// <inheritdoc/>
    public int SampleRate { get; }

    /// <inheritdoc/>
    public TimeSpan ChunkDuration { get; }

    /// <inheritdoc/>
    public bool IsSpeech => _segmenter.IsSpeech;

    /// <inheritdoc/>
    public float LastProbability { get; private set; }

    /// <inheritdoc/>
    public int Process(ReadOnlySpan<short> samples, ICollection<VoiceActivityEvent>? events = null, ICollection<VoiceActivityChunk>? chunks = null)
    {
        int analysed = 0;
        foreach (short sample in samples)
        {
            _sumOfSquares += (double)sample * sample;
            if (++_pending == _chunkSamples)
            {
                AnalyseChunk(events, chunks);
                analysed++;
            }
        }

        return analysed;
    }

    /// <inheritdoc/>
    public void Reset()
    {
        _segmenter.Reset();
        _sumOfSquares = 0;
        _pending = 0;
        _position = 0;
        _noiseFloorDb = -70;
        LastProbability = 0;
    }

    /// <summary>Nothing to release.</summary>
    public void Dispose()
    {
    }

    private void AnalyseChunk(ICollection<VoiceActivityEvent>? events, ICollection<VoiceActivityChunk>? chunks)
    {
        double rms = Math.Sqrt(_sumOfSquares / _chunkSamples) / Pcm16.FullScale;
        double db = 20 * Math.Log10(Math.Max(rms, 1e-6));

        // The floor drops at once to quieter chunks and creeps up (at most 25 dB per second), so steady
        // noise becomes "silence" while a sentence does not.
        _noiseFloorDb = db < _noiseFloorDb ? db : _noiseFloorDb + Math.Min(db - _noiseFloorDb, 0.5);
        double threshold = Math.Max(_minimumSpeechDb, _noiseFloorDb + 12);
        float probability = (float)(1 / (1 + Math.Exp(-(db - threshold) / 2)));
        LastProbability = probability;

        long start = _position;
        _position += _chunkSamples;
        chunks?.Add(new VoiceActivityChunk(TimeSpan.FromSeconds((double)start / SampleRate), ChunkDuration, probability));
        _segmenter.Observe(probability, start, _position, events);
        _sumOfSquares = 0;
        _pending = 0;
    }
}
