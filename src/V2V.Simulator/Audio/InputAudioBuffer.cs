namespace V2V.Simulator.Audio;

/// <summary>
/// The session's input audio buffer in 24 kHz samples, with its position in session time ("all audio
/// written to the buffer during the session"), which is what audio_start_ms / audio_end_ms count.
/// Bounded: past <see cref="MaxSamples"/> the oldest audio is dropped (and counted), since a client that never
/// commits must not grow the server without limit.
/// </summary>
internal sealed class InputAudioBuffer
{
    /// <summary>Ten minutes of audio (28.8 MB of pcm16).</summary>
    public const int MaxSamples = Pcm.SampleRate * 600;

    private short[] _samples = new short[Pcm.SampleRate];
    private int _count;

    /// <summary>Session time, in samples, of the first sample held.</summary>
    public long StartSample { get; private set; }

    /// <summary>Session time, in samples, just past the last sample held.</summary>
    public long EndSample => StartSample + _count;

    public int Count => _count;

    public long DroppedSamples { get; private set; }

    public void Append(ReadOnlySpan<short> samples)
    {
        if (_count + samples.Length > MaxSamples)
        {
            var before = StartSample;
            DiscardBefore(EndSample + samples.Length - MaxSamples);
            DroppedSamples += StartSample - before;
            if (samples.Length > MaxSamples)
            {
                // Only the newest MaxSamples of a huge append can be held.
                var skipped = samples.Length - MaxSamples;
                DroppedSamples += skipped;
                StartSample += skipped;
                samples = samples[skipped..];
            }
        }

        if (_count + samples.Length > _samples.Length)
        {
            Array.Resize(ref _samples, Math.Min(MaxSamples, Math.Max(_samples.Length * 2, _count + samples.Length)));
        }

        samples.CopyTo(_samples.AsSpan(_count));
        _count += samples.Length;
    }

    /// <summary>Samples between two session times, clamped to what is held.</summary>
    public short[] Slice(long fromSample, long toSample)
    {
        var from = (int)Math.Clamp(fromSample - StartSample, 0, _count);
        var to = (int)Math.Clamp(toSample - StartSample, from, _count);
        return _samples.AsSpan(from, to - from).ToArray();
    }

    public ReadOnlySpan<short> Span(long fromSample, long toSample)
    {
        var from = (int)Math.Clamp(fromSample - StartSample, 0, _count);
        var to = (int)Math.Clamp(toSample - StartSample, from, _count);
        return _samples.AsSpan(from, to - from);
    }

    /// <summary>Drops the audio before a session time (after a commit, or to keep the bound).</summary>
    public void DiscardBefore(long sample)
    {
        var drop = (int)Math.Clamp(sample - StartSample, 0, _count);
        if (drop == 0)
        {
            return;
        }

        _samples.AsSpan(drop, _count - drop).CopyTo(_samples);
        _count -= drop;
        StartSample += drop;
    }

    public void Clear() => DiscardBefore(EndSample);
}
