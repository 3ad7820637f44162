namespace V2V.Audio;

/// <summary>Interleaved multichannel audio to mono by averaging the channels of each frame.</summary>
/// <remarks>
/// The average is computed in 32-bit integers, so two full-scale channels of the same sign cannot
/// overflow or wrap; the mean of values in the pcm16 range is always in range. Averaging keeps the level of
/// a signal present on all channels (a mono source recorded in stereo) unchanged.
/// </remarks>
public static class ChannelDownmixer
{
    /// <summary>Averages each frame of <paramref name="channels"/> interleaved samples into one mono sample.</summary>
    /// <param name="interleaved">Frames of <paramref name="channels"/> samples each (L R L R ... for stereo).</param>
    /// <param name="channels">Channels per frame, 1 or more; 1 copies.</param>
    /// <param name="mono">Room for interleaved.Length / channels samples; may be the same memory as the input.</param>
    /// <returns>The number of mono samples written.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="channels"/> is less than 1.</exception>
    /// <exception cref="ArgumentException">A partial frame, or <paramref name="mono"/> is too small.</exception>
    public static int ToMono(ReadOnlySpan<short> interleaved, int channels, Span<short> mono)
    {
        int frames = CheckShape(interleaved.Length, channels, mono.Length);
        if (channels == 1)
        {
            interleaved.CopyTo(mono);
            return frames;
        }

        if (channels == 2)
        {
            // In-place safe: frame i is read (at 2i, 2i+1) before mono[i] (i <= 2i) is written.
            for (int i = 0; i < frames; i++)
            {
                mono[i] = (short)((interleaved[2 * i] + interleaved[2 * i + 1]) >> 1);
            }

            return frames;
        }

        for (int i = 0, s = 0; i < frames; i++)
        {
            int sum = 0;
            for (int c = 0; c < channels; c++, s++)
            {
                sum += interleaved[s];
            }

            mono[i] = (short)(sum / channels);
        }

        return frames;
    }

    /// <summary>Averages each frame of <paramref name="channels"/> interleaved float samples into one mono sample.</summary>
    /// <inheritdoc cref="ToMono(ReadOnlySpan{short}, int, Span{short})"/>
    public static int ToMono(ReadOnlySpan<float> interleaved, int channels, Span<float> mono)
    {
        int frames = CheckShape(interleaved.Length, channels, mono.Length);
        float scale = 1f / channels;
        for (int i = 0, s = 0; i < frames; i++)
        {
            float sum = 0;
            for (int c = 0; c < channels; c++, s++)
            {
                sum += interleaved[s];
            }

            mono[i] = sum * scale;
        }

        return frames;
    }

    private static int CheckShape(int samples, int channels, int monoLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        if (samples % channels != 0)
        {
            throw new ArgumentException(
                $"{samples} samples is not a whole number of {channels}-channel frames; pass complete frames only.", "interleaved");
        }

        int frames = samples / channels;
        if (monoLength < frames)
        {
            throw new ArgumentException($"The mono span holds {monoLength} samples but {frames} frames were given; give it at least as many.", "mono");
        }

        return frames;
    }
}
