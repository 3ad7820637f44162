using V2V.Audio;
using V2V.Frames;

namespace V2V.Voice.Playback;

/// <summary>
/// Turns the model's 24 kHz audio into pooled <see cref="PcmFrame"/>s of the output rate and length. Each frame
/// remembers its item and how far into the item it ends, which is what a truncate on barge-in needs.
/// The samples are written once into the frame: from the resampler's output, or (24 kHz out) straight from the
/// delta. The frames handed out belong to the caller, who hands them on or disposes them.
/// </summary>
internal sealed class OutputFrameCutter
{
    private const int ModelRate = 24000;
    private readonly int _outputRate;
    private readonly int _frameSamples;
    private readonly AudioResampler _resampler;
    private short[] _resampled = [];
    private PcmFrame _open;
    private int _fill;
    private string? _itemId;
    private long _itemSamplesOut;

    public OutputFrameCutter(int outputRate, TimeSpan frameDuration)
    {
        _outputRate = outputRate;
        _frameSamples = (int)Math.Round(outputRate * frameDuration.TotalSeconds);
        _resampler = new AudioResampler(ModelRate, outputRate);
    }

    /// <summary>Cuts the next audio of <paramref name="itemId"/> (pcm16 at 24 kHz) into frames.</summary>
    public void Add(string itemId, ReadOnlySpan<byte> pcm16At24k, List<PcmFrame> frames)
    {
        if (_itemId != itemId)
        {
            // A new item starts on a frame boundary of its own, so that no frame mixes two items.
            Finish(frames);
            _itemId = itemId;
            _itemSamplesOut = 0;
        }
        var samples = Pcm16.AsSamples(pcm16At24k[..(pcm16At24k.Length & ~1)]);
        if (_resampler.IsPassThrough)
        {
            Cut(samples, frames);
            return;
        }
        Cut(Resample(samples), frames);
    }

    /// <summary>The item's audio is complete: the resampler's tail and the last partial frame (padded with silence) go out.</summary>
    public void Finish(List<PcmFrame> frames)
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
            Cut(Resample(zeros), frames);
        }
        if (_fill > 0)
        {
            OpenFrameSamples()[_fill..].Clear();
            _fill = _frameSamples;
            Emit(frames);
        }
        _itemId = null;
        _resampler.Reset(); // a new item's audio starts a new stream: no history of the last (and no filter allocated per item)
    }

    /// <summary>Drops everything in progress (barge-in).</summary>
    public void Reset()
    {
        _open.Dispose();
        _open = default;
        _fill = 0;
        _itemId = null;
        _resampler.Reset(); // a new item's audio starts a new stream: no history of the last (and no filter allocated per item)
    }

    private ReadOnlySpan<short> Resample(ReadOnlySpan<short> samples)
    {
        var most = _resampler.GetMaxOutputCount(samples.Length);
        if (_resampled.Length < most)
        {
            _resampled = new short[most];
        }
        var count = _resampler.Process(samples, _resampled);
        return _resampled.AsSpan(0, count);
    }

    private void Cut(ReadOnlySpan<short> samples, List<PcmFrame> frames)
    {
        while (!samples.IsEmpty)
        {
            var take = Math.Min(samples.Length, _frameSamples - _fill);
            samples[..take].CopyTo(OpenFrameSamples()[_fill..]);
            _fill += take;
            samples = samples[take..];
            if (_fill == _frameSamples)
            {
                Emit(frames);
            }
        }
    }

    private Span<short> OpenFrameSamples()
    {
        if (_open.IsNone)
        {
            _open = PcmFrame.Rent(_frameSamples * 2, _outputRate);
        }
        return Pcm16.AsSamples(_open.WritableSpan);
    }

    private void Emit(List<PcmFrame> frames)
    {
        _itemSamplesOut += _fill;
        _open.SetItem(_itemId, _itemSamplesOut);
        frames.Add(_open);
        _open = default;
        _fill = 0;
    }
}
