using V2V.Audio;

namespace V2V.Voice.Playback;

/// <summary>
/// Turns the model's 24 kHz audio into frames of the output rate and length. Each frame remembers how far
/// into its item it ends (in ms of the item's audio), which is what a truncate on barge-in needs.
/// </summary>
internal sealed class OutputFrameCutter
{
    private const int ModelRate = 24000;
    private readonly int _outputRate;
    private readonly short[] _frame;
    private AudioResampler _resampler;
    private short[] _resampled = [];
    private int _fill;
    private string? _itemId;
    private long _itemSamplesOut;

    public OutputFrameCutter(int outputRate, TimeSpan frameDuration)
    {
        _outputRate = outputRate;
        _frame = new short[(int)Math.Round(outputRate * frameDuration.TotalSeconds)];
        _resampler = new AudioResampler(ModelRate, outputRate);
    }

    /// <summary>Cuts the next audio of <paramref name="itemId"/> (pcm16 at 24 kHz) into frames.</summary>
    public void Add(string itemId, ReadOnlySpan<byte> pcm16At24k, List<PlayoutFrame> frames)
    {
        if (_itemId != itemId)
        {
            // A new item starts on a frame boundary of its own, so that no frame mixes two items.
            Finish(frames);
            _itemId = itemId;
            _itemSamplesOut = 0;
        }
        var samples = Pcm16.AsSamples(pcm16At24k[..(pcm16At24k.Length & ~1)]);
        if (_resampled.Length < _resampler.GetMaxOutputCount(samples.Length))
        {
            _resampled = new short[_resampler.GetMaxOutputCount(samples.Length)];
        }
        var count = _resampler.Process(samples, _resampled);
        Cut(_resampled.AsSpan(0, count), frames);
    }

    /// <summary>The item's audio is complete: the resampler's tail and the last partial frame (padded with silence) go out.</summary>
    public void Finish(List<PlayoutFrame> frames)
    {
        if (_itemId is null)
        {
            return;
        }
        if (!_resampler.IsPassThrough)
        {
            // The filter holds back about half its length; silence pushes the tail out.
            var tail = (int)Math.Ceiling(_resampler.Delay.TotalSeconds * ModelRate) + 1;
            Span<short> zeros = stackalloc short[Math.Min(tail, 4096)];
            zeros.Clear();
            if (_resampled.Length < _resampler.GetMaxOutputCount(zeros.Length))
            {
                _resampled = new short[_resampler.GetMaxOutputCount(zeros.Length)];
            }
            var count = _resampler.Process(zeros, _resampled);
            Cut(_resampled.AsSpan(0, count), frames);
        }
        if (_fill > 0)
        {
            _frame.AsSpan(_fill).Clear();
            _fill = _frame.Length;
            Emit(frames);
        }
        _itemId = null;
        _resampler = new AudioResampler(ModelRate, _outputRate);
    }

    /// <summary>Drops everything in progress (barge-in).</summary>
    public void Reset()
    {
        _fill = 0;
        _itemId = null;
        _resampler = new AudioResampler(ModelRate, _outputRate);
    }

    private void Cut(ReadOnlySpan<short> samples, List<PlayoutFrame> frames)
    {
        while (!samples.IsEmpty)
        {
            var take = Math.Min(samples.Length, _frame.Length - _fill);
            samples[..take].CopyTo(_frame.AsSpan(_fill));
            _fill += take;
            samples = samples[take..];
            if (_fill == _frame.Length)
            {
                Emit(frames);
            }
        }
    }

    private void Emit(List<PlayoutFrame> frames)
    {
        _itemSamplesOut += _fill;
        var bytes = Pcm16.AsBytes(_frame.AsSpan(0, _fill)).ToArray();
        frames.Add(new PlayoutFrame(bytes, _itemId!, _itemSamplesOut * 1000.0 / _outputRate));
        _fill = 0;
    }
}
