namespace V2V.Audio;

/// <summary>
/// Turns a byte stream cut at arbitrary places (sockets, pipes) into whole pcm16 samples: an odd trailing byte
/// is kept and joined with the first byte of the next chunk. One instance per stream; not thread-safe.
/// </summary>
public sealed class Pcm16ByteCarry
{
    private byte _pending;
    private bool _hasPending;

    /// <summary>True while a half sample waits for its second byte.</summary>
    public bool HasPendingByte => _hasPending;

    /// <summary>The largest number of samples <see cref="Write"/> can produce from <paramref name="byteCount"/> bytes.</summary>
    public int GetMaxSampleCount(int byteCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(byteCount);
        return (byteCount + 1) / 2;
    }

    /// <summary>Copies the whole samples of <paramref name="bytes"/> (with any byte held from before) to <paramref name="samples"/>.</summary>
    /// <returns>The number of samples written; a final odd byte is held for the next call.</returns>
    /// <exception cref="ArgumentException"><paramref name="samples"/> is smaller than <see cref="GetMaxSampleCount"/>.</exception>
    public int Write(ReadOnlySpan<byte> bytes, Span<short> samples)
    {
        int needed = (bytes.Length + (_hasPending ? 1 : 0)) / 2;
        if (samples.Length < needed)
        {
            throw new ArgumentException(
                $"The sample span holds {samples.Length} samples but {needed} are ready; size it with GetMaxSampleCount(bytes.Length).", nameof(samples));
        }

        int written = 0;
        if (_hasPending && !bytes.IsEmpty)
        {
            samples[written++] = (short)(_pending | (bytes[0] << 8));
            bytes = bytes[1..];
            _hasPending = false;
        }

        int whole = bytes.Length & ~1;
        Pcm16.AsSamples(bytes[..whole]).CopyTo(samples[written..]);
        written += whole / 2;
        if (whole < bytes.Length)
        {
            _pending = bytes[whole];
            _hasPending = true;
        }

        return written;
    }

    /// <summary>Drops a held byte (end of stream or a new stream).</summary>
    public void Reset() => _hasPending = false;
}
