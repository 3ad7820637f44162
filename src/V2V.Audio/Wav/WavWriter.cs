using System.Buffers;
using System.Buffers.Binary;

namespace V2V.Audio;

/// <summary>
/// Writes pcm16 WAV incrementally: audio dumps and CLI output. The header goes out first with the sizes
/// marked unknown (0xFFFFFFFF, which <see cref="WavReader"/> reads to the end); on <see cref="Flush"/> and
/// on dispose the real sizes are patched in when the stream can seek. On a non-seekable stream (a pipe, a
/// response body) the unknown sizes stay, as in streamed WAV. One writer per stream; not thread-safe.
/// </summary>
public sealed class WavWriter : IDisposable, IAsyncDisposable
{
    private const int HeaderSize = 44;

    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly long _start;
    private long _dataBytes;
    private bool _disposed;

    /// <summary>Starts a WAV file on <paramref name="stream"/> at its current position.</summary>
    /// <param name="stream">A writable stream.</param>
    /// <param name="sampleRate">Frames per second, 1 Hz or more.</param>
    /// <param name="channels">Interleaved channels per frame, 1 to 65535.</param>
    /// <param name="leaveOpen">Keep <paramref name="stream"/> open after the writer is disposed.</param>
    /// <exception cref="ArgumentException"><paramref name="stream"/> is not writable.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A rate or channel count out of range.</exception>
    public WavWriter(Stream stream, int sampleRate, int channels = 1, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanWrite)
        {
            throw new ArgumentException("The stream must be writable; open it with write access.", nameof(stream));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(sampleRate, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(channels, ushort.MaxValue);
        _stream = stream;
        _leaveOpen = leaveOpen;
        _start = stream.CanSeek ? stream.Position : 0;
        SampleRate = sampleRate;
        Channels = channels;
        _stream.Write(BuildHeader(WavReader.UnknownSize, WavReader.UnknownSize));
    }

    /// <summary>Frames per second written in the header.</summary>
    public int SampleRate { get; }

    /// <summary>Channels per frame written in the header.</summary>
    public int Channels { get; }

    /// <summary>Samples written so far (all channels counted).</summary>
    public long SamplesWritten => _dataBytes / 2;

    /// <summary>Creates (or overwrites) a WAV file at <paramref name="path"/>.</summary>
    public static WavWriter Create(string path, int sampleRate, int channels = 1)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return new WavWriter(File.Create(path), sampleRate, channels);
    }

    /// <summary>Appends interleaved pcm16 samples (no copy: the span's bytes go to the stream as they are).</summary>
    public void Write(ReadOnlySpan<short> samples)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _stream.Write(Pcm16.AsBytes(samples));
        _dataBytes += samples.Length * 2L;
    }

    /// <summary>Appends interleaved pcm16 samples asynchronously (through a pooled copy of their bytes).</summary>
    public async ValueTask WriteAsync(ReadOnlyMemory<short> samples, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        int byteCount = samples.Length * 2;
        byte[] buffer = ArrayPool<byte>.Shared.Rent(byteCount);
        try
        {
            Pcm16.AsBytes(samples.Span).CopyTo(buffer);
            await _stream.WriteAsync(buffer.AsMemory(0, byteCount), cancellationToken).ConfigureAwait(false);
            _dataBytes += byteCount;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Patches the sizes (when seekable) so the file is complete as it stands, and flushes the stream.</summary>
    public void Flush()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        PatchSizes();
        _stream.Flush();
    }

    /// <summary>Patches the sizes when the stream can seek, then closes it unless asked to leave it open.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        PatchSizes();
        _stream.Flush();
        if (!_leaveOpen)
        {
            _stream.Dispose();
        }
    }

    /// <summary>Asynchronous <see cref="Dispose"/>.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        PatchSizes();
        await _stream.FlushAsync().ConfigureAwait(false);
        if (!_leaveOpen)
        {
            await _stream.DisposeAsync().ConfigureAwait(false);
        }
    }

    private void PatchSizes()
    {
        if (!_stream.CanSeek)
        {
            return;
        }

        // RIFF sizes are 32-bit: past 4 GiB the header keeps "unknown" and readers go to the end.
        long riff = HeaderSize - 8 + _dataBytes;
        uint riffSize = riff > uint.MaxValue - 1 ? WavReader.UnknownSize : (uint)riff;
        uint dataSize = _dataBytes > uint.MaxValue - 1 ? WavReader.UnknownSize : (uint)_dataBytes;
        long end = _stream.Position;
        _stream.Position = _start;
        _stream.Write(BuildHeader(riffSize, dataSize));
        _stream.Position = end;
    }

    private byte[] BuildHeader(uint riffSize, uint dataSize)
    {
        var header = new byte[HeaderSize];
        var span = header.AsSpan();
        "RIFF"u8.CopyTo(span);
        BinaryPrimitives.WriteUInt32LittleEndian(span[4..], riffSize);
        "WAVEfmt "u8.CopyTo(span[8..]);
        BinaryPrimitives.WriteUInt32LittleEndian(span[16..], 16);
        BinaryPrimitives.WriteUInt16LittleEndian(span[20..], (ushort)WavEncoding.Pcm);
        BinaryPrimitives.WriteUInt16LittleEndian(span[22..], (ushort)Channels);
        BinaryPrimitives.WriteUInt32LittleEndian(span[24..], (uint)SampleRate);
        BinaryPrimitives.WriteUInt32LittleEndian(span[28..], (uint)(SampleRate * Channels * 2L));
        BinaryPrimitives.WriteUInt16LittleEndian(span[32..], (ushort)(Channels * 2));
        BinaryPrimitives.WriteUInt16LittleEndian(span[34..], 16);
        "data"u8.CopyTo(span[36..]);
        BinaryPrimitives.WriteUInt32LittleEndian(span[40..], dataSize);
        return header;
    }
}
