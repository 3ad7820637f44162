using Microsoft.ML.OnnxRuntime;

namespace V2V.Audio;

/// <summary>
/// Silero VAD v5 on one stream: resamples to 16 kHz, runs the network on every 32 ms chunk (with the 64
/// samples of context it needs), and segments speech with <see cref="VoiceActivityOptions"/>. Create it with
/// <see cref="SileroVadModel.CreateDetector"/>. Not thread-safe; one per stream. After the first frames it
/// allocates nothing per chunk: the tensors are bound once to buffers that live as long as the detector.
/// </summary>
public sealed class SileroVoiceActivityDetector : IVoiceActivityDetector
{
    private const int WindowSamples = SileroVadModel.ContextSamples + SileroVadModel.ChunkSamples;
    private static readonly string[] InputNames = ["input", "state", "sr"];
    private static readonly string[] OutputNames = ["output", "stateN"];

    private readonly SileroVadModel _model;
    private readonly AudioResampler _resampler;
    private readonly SpeechSegmenter _segmenter;
    private readonly float[] _window = new float[WindowSamples];
    private readonly float[] _stateA = new float[2 * 128];
    private readonly float[] _stateB = new float[2 * 128];
    private readonly float[] _probability = new float[1];
    private readonly OrtValue[] _ownedValues;
    private readonly OrtValue[] _inputsA;
    private readonly OrtValue[] _outputsA;
    private readonly OrtValue[] _inputsB;
    private readonly OrtValue[] _outputsB;
    private readonly RunOptions _runOptions = new();
    private short[] _resampled = new short[1024];
    private bool _stateInA = true;
    private int _pending;
    private long _chunksDone;

    internal SileroVoiceActivityDetector(SileroVadModel model, int sampleRate, VoiceActivityOptions? options)
    {
        ArgumentNullException.ThrowIfNull(model);
        options ??= new VoiceActivityOptions();
        options.Validate();
        _model = model;
        _resampler = new AudioResampler(sampleRate, SileroVadModel.SampleRate);
        _segmenter = new SpeechSegmenter(options, SileroVadModel.SampleRate);
        SampleRate = sampleRate;

        var window = OrtValue.CreateTensorValueFromMemory(_window, [1, WindowSamples]);
        var stateA = OrtValue.CreateTensorValueFromMemory(_stateA, [2, 1, 128]);
        var stateB = OrtValue.CreateTensorValueFromMemory(_stateB, [2, 1, 128]);
        var rate = OrtValue.CreateTensorValueFromMemory(new long[] { SileroVadModel.SampleRate }, model.SampleRateShape);
        var probability = OrtValue.CreateTensorValueFromMemory(_probability, [1, 1]);
        _ownedValues = [window, stateA, stateB, rate, probability];

        // The recurrent state ping-pongs between two buffers, so no copy is needed between chunks.
        _inputsA = [window, stateA, rate];
        _outputsA = [probability, stateB];
        _inputsB = [window, stateB, rate];
        _outputsB = [probability, stateA];
    }

    /// <inheritdoc/>
    public int SampleRate { get; }

    /// <inheritdoc/>
    public TimeSpan ChunkDuration { get; } = TimeSpan.FromSeconds((double)SileroVadModel.ChunkSamples / SileroVadModel.SampleRate);

    /// <inheritdoc/>
    public bool IsSpeech => _segmenter.IsSpeech;

    /// <inheritdoc/>
    public float LastProbability { get; private set; }

    /// <inheritdoc/>
    public int Process(ReadOnlySpan<short> samples, ICollection<VoiceActivityEvent>? events = null, ICollection<VoiceActivityChunk>? chunks = null)
    {
        int needed = _resampler.GetMaxOutputCount(samples.Length);
        if (_resampled.Length < needed)
        {
            _resampled = new short[Math.Max(needed, 2 * _resampled.Length)];
        }

        int count = _resampler.Process(samples, _resampled);
        int analysed = 0;
        for (int i = 0; i < count; i++)
        {
            _window[SileroVadModel.ContextSamples + _pending++] = _resampled[i] / Pcm16.FullScale;
            if (_pending == SileroVadModel.ChunkSamples)
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
        _resampler.Reset();
        _segmenter.Reset();
        Array.Clear(_window);
        Array.Clear(_stateA);
        Array.Clear(_stateB);
        _stateInA = true;
        _pending = 0;
        _chunksDone = 0;
        LastProbability = 0;
    }

    /// <summary>Releases the tensors bound to this stream (the model stays loaded).</summary>
    public void Dispose()
    {
        foreach (var value in _ownedValues)
        {
            value.Dispose();
        }

        _runOptions.Dispose();
    }

    private void AnalyseChunk(ICollection<VoiceActivityEvent>? events, ICollection<VoiceActivityChunk>? chunks)
    {
        _model.Session.Run(_runOptions, InputNames, _stateInA ? _inputsA : _inputsB, OutputNames, _stateInA ? _outputsA : _outputsB);
        _stateInA = !_stateInA;
        float probability = _probability[0];
        LastProbability = probability;

        // Positions are in 16 kHz samples of the stream; the resampler's delay is taken off so they match the input.
        long delay = (long)Math.Round(_resampler.DelayInOutputSamples);
        long start = Math.Max(0, _chunksDone * SileroVadModel.ChunkSamples - delay);
        long end = start + SileroVadModel.ChunkSamples;
        _chunksDone++;
        chunks?.Add(new VoiceActivityChunk(TimeSpan.FromSeconds(start / (double)SileroVadModel.SampleRate), ChunkDuration, probability));
        _segmenter.Observe(probability, start, end, events);

        // The last 64 samples of this chunk are the context of the next.
        _window.AsSpan(SileroVadModel.ChunkSamples, SileroVadModel.ContextSamples).CopyTo(_window);
        _pending = 0;
    }
}
