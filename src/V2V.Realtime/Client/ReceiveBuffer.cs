using System.Buffers;

namespace V2V.Realtime.Client;

/// <summary>
/// The buffer one reader assembles messages in. It grows for a large message up to the configured maximum
/// and shrinks back afterwards, so that hundreds of idle sessions do not each hold megabytes.
/// </summary>
internal sealed class ReceiveBuffer : IDisposable
{
    // Each open connection holds one: 32 KB fits the largest audio delta seen (about 16 KB of JSON for 245 ms), and a
    // larger message grows it.
    private const int InitialSize = 32 * 1024;
    private const int KeepAtMost = 256 * 1024;
    private readonly int _maxMessageBytes;

    public ReceiveBuffer(int maxMessageBytes)
    {
        _maxMessageBytes = maxMessageBytes;
        Array = ArrayPool<byte>.Shared.Rent(Math.Min(InitialSize, maxMessageBytes));
    }

    public byte[] Array { get; private set; }

    /// <summary>Makes room after <paramref name="length"/> bytes; false when the message would exceed the maximum.</summary>
    public bool TryGrow(int length)
    {
        if (length < Array.Length)
        {
            return true;
        }
        if (length >= _maxMessageBytes)
        {
            return false;
        }
        Replace(Math.Min(_maxMessageBytes, Array.Length * 2), length);
        return true;
    }

    /// <summary>Drops a grown buffer once its message has been read.</summary>
    public void ShrinkIfLarge()
    {
        if (Array.Length > KeepAtMost)
        {
            Replace(Math.Min(InitialSize, _maxMessageBytes), 0);
        }
    }

    public void Dispose() => ArrayPool<byte>.Shared.Return(Array);

    private void Replace(int size, int keep)
    {
        var next = ArrayPool<byte>.Shared.Rent(size);
        Array.AsSpan(0, keep).CopyTo(next);
        ArrayPool<byte>.Shared.Return(Array);
        Array = next;
    }
}
