namespace V2V.Audio;

/// <summary>Decoded WAV audio: interleaved pcm16 samples with their rate and channel count.</summary>
public sealed class WavAudio
{
    /// <summary>Creates decoded audio.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A rate or channel count below 1.</exception>
    /// <exception cref="ArgumentException">The sample count is not a whole number of frames.</exception>
    public WavAudio(short[] samples, int sampleRate, int channels, string sourceEncoding = "PCM 16-bit")
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleRate, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        if (samples.Length % channels != 0)
        {
            throw new ArgumentException($"{samples.Length} samples is not a whole number of {channels}-channel frames.", nameof(samples));
        }

        Samples = samples;
        SampleRate = sampleRate;
        Channels = channels;
        SourceEncoding = sourceEncoding;
    }

    /// <summary>The samples, interleaved by channel (L R L R ... for stereo).</summary>
    public short[] Samples { get; }

    /// <summary>Frames per second, in Hz.</summary>
    public int SampleRate { get; }

    /// <summary>Channels per frame.</summary>
    public int Channels { get; }

    /// <summary>How the file stored its samples before conversion to pcm16, e.g. "IEEE float 32-bit".</summary>
    public string SourceEncoding { get; }

    /// <summary>Number of frames (samples per channel).</summary>
    public int FrameCount => Samples.Length / Channels;

    /// <summary>Playing time.</summary>
    public TimeSpan Duration => TimeSpan.FromSeconds((double)FrameCount / SampleRate);

    /// <summary>The audio averaged down to one channel (a copy when already mono).</summary>
    public short[] ToMono()
    {
        var mono = new short[FrameCount];
        ChannelDownmixer.ToMono(Samples, Channels, mono);
        return mono;
    }
}
